import { describe, expect, it } from 'vitest';
import { call, mobile, newAccount, stack } from '../support/api';
import { readyBatch, uploadCsv } from '../support/batches';

const enc = (n: string) => encodeURIComponent(n);

describe("the account's blocklist", () => {
  it('add (with a reason), check, list (paged), remove; a send to a listed number is refused', async () => {
    // Arrange
    const a = await newAccount('1.0000');
    const [n1, n2] = [mobile(), mobile()];
    // Act
    const added = await call('POST', '/v1/blocklist', {
      key: a.apiKey,
      body: { number: n1, reason: 'asked' },
    });
    const again = await call('POST', '/v1/blocklist', {
      key: a.apiKey,
      body: { number: n1, reason: 'twice' },
    });
    await call('POST', '/v1/blocklist', { key: a.apiKey, body: { number: `0${n2.slice(3)}` } });
    const refused = await call('POST', '/v1/messages', { key: a.apiKey, body: { to: n1, text: 'x' } });
    // Assert
    expect(added.status).toBe(201);
    expect(added.body).toMatchObject({ number: n1, reason: 'asked' });
    expect(again.status).toBe(200);
    expect(again.body).toMatchObject({ reason: 'twice' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error: { code: 'BLOCKLISTED', details: { list: 'account', reason: 'blocklisted (account)' } },
    });
    expect((await call('GET', `/v1/blocklist/${enc(n1)}`, { key: a.apiKey })).body).toEqual({
      number: n1,
      blocked: true,
      list: 'account',
      reason: 'blocklisted (account)',
      note: 'twice',
    });
    const first = await call<{ items: { number: string }[]; cursor?: string }>(
      'GET',
      '/v1/blocklist?limit=1',
      {
        key: a.apiKey,
      },
    );
    const second = await call<{ items: { number: string }[]; cursor?: string }>(
      'GET',
      `/v1/blocklist?limit=1&cursor=${first.body.cursor}`,
      { key: a.apiKey },
    );
    expect([...first.body.items, ...second.body.items].map((e) => e.number).sort()).toEqual([n1, n2].sort());
    expect((await call('DELETE', `/v1/blocklist/${enc(n1)}`, { key: a.apiKey })).status).toBe(204);
    expect((await call('DELETE', `/v1/blocklist/${enc(n1)}`, { key: a.apiKey })).status).toBe(404);
    expect((await call('GET', `/v1/blocklist/${enc(n1)}`, { key: a.apiKey })).body).toEqual({
      number: n1,
      blocked: false,
    });
    expect((await call('POST', '/v1/messages', { key: a.apiKey, body: { to: n1, text: 'x' } })).status).toBe(
      202,
    );
    expect((await call('POST', '/v1/blocklist', { key: a.apiKey, body: { number: '12' } })).status).toBe(422);
  });

  it("the platform's list refuses with reason `blocklisted (platform)`, in single sends and batch rows", async () => {
    // Arrange
    const a = await newAccount('1.0000');
    const [global, own, free] = [mobile(), mobile(), mobile()];
    const put = await call('PUT', `/v1/admin/blocklist/${enc(global)}`, {
      key: stack().operatorKey,
      body: { reason: 'fraud' },
    });
    expect(put.status).toBe(201);
    await call('POST', '/v1/blocklist', { key: a.apiKey, body: { number: own } });
    // Act
    const single = await call('POST', '/v1/messages', { key: a.apiKey, body: { to: global, text: 'x' } });
    const check = await call('GET', `/v1/blocklist/${enc(global)}`, { key: a.apiKey });
    const batch = await readyBatch(a.apiKey, `Phone,Text\n${global},a\n${own},b\n${free},c\n`, {
      messageColumn: 'B',
    });
    // Assert
    expect(single.body).toMatchObject({
      error: { code: 'BLOCKLISTED', details: { list: 'global', reason: 'blocklisted (platform)' } },
    });
    expect(check.body).toMatchObject({ blocked: true, list: 'global', reason: 'blocklisted (platform)' });
    expect(batch.summary).toMatchObject({ rows: 3, messages: 1, blocklisted: 2 });
    const rows = await call<{ items: { to: string; status: string; reason?: string }[] }>(
      'GET',
      `/v1/batches/${batch.id}/rows`,
      { key: a.apiKey },
    );
    expect(rows.body.items.map((r) => [r.to, r.status, r.reason])).toEqual([
      [global, 'blocklisted', 'blocklisted (platform)'],
      [own, 'blocklisted', 'blocklisted (account)'],
      [free, 'ok', undefined],
    ]);
    await call('DELETE', `/v1/admin/blocklist/${enc(global)}`, { key: stack().operatorKey });
  });

  it('imports an uploaded file: added, invalid (with rows), duplicates and already listed', async () => {
    // Arrange
    const a = await newAccount('1.0000');
    const [n1, n2, n3] = [mobile(), mobile(), mobile()];
    await call('POST', '/v1/blocklist', { key: a.apiKey, body: { number: n3, reason: 'kept' } });
    const uploadId = await uploadCsv(
      a.apiKey,
      `Nume,Telefon\nAna,${n1}\nIon,0${n2.slice(3)}\nDan,not a number\nEva,${n1}\nLia,${n3}\n`,
    );
    // Act
    const report = await call('POST', '/v1/blocklist/imports', {
      key: a.apiKey,
      body: { uploadId, phoneColumn: 'B', firstRow: 2, reason: 'old list' },
    });
    // Assert
    expect(report.status).toBe(200);
    expect(report.body).toEqual({
      rows: 5,
      added: 2,
      duplicates: 2,
      alreadyListed: 1,
      invalid: 1,
      invalidRows: [{ row: 4, reason: 'INVALID' }],
    });
    for (const [n, note] of [
      [n1, 'old list'],
      [n2, 'old list'],
      [n3, 'kept'],
    ]) {
      expect((await call('GET', `/v1/blocklist/${enc(n ?? '')}`, { key: a.apiKey })).body).toMatchObject({
        blocked: true,
        note,
      });
    }
  });

  it("another account's key sees and changes nothing of it", async () => {
    // Arrange
    const a = await newAccount('1.0000');
    const b = await newAccount('1.0000');
    const n = mobile();
    await call('POST', '/v1/blocklist', { key: a.apiKey, body: { number: n } });
    const uploadId = await uploadCsv(a.apiKey, `${mobile()}\n`);
    // Act + Assert
    expect((await call<{ items: unknown[] }>('GET', '/v1/blocklist', { key: b.apiKey })).body.items).toEqual(
      [],
    );
    expect((await call('GET', `/v1/blocklist/${enc(n)}`, { key: b.apiKey })).body).toEqual({
      number: n,
      blocked: false,
    });
    expect((await call('DELETE', `/v1/blocklist/${enc(n)}`, { key: b.apiKey })).status).toBe(404);
    const foreignImport = await call('POST', '/v1/blocklist/imports', {
      key: b.apiKey,
      body: { uploadId, phoneColumn: 'A' },
    });
    expect(foreignImport.status).toBe(404);
    expect((await call('POST', '/v1/messages', { key: b.apiKey, body: { to: n, text: 'x' } })).status).toBe(
      202,
    );
    expect((await call('GET', `/v1/blocklist/${enc(n)}`, { key: a.apiKey })).body).toMatchObject({
      blocked: true,
    });
    const aFirst = await call<{ cursor?: string }>('GET', '/v1/blocklist?limit=1', { key: a.apiKey });
    expect(aFirst.status).toBe(200);
  });
});
