import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages } from '../support/api';
import { readyBatch } from '../support/batches';

interface TemplateBody {
  id: string;
  name: string;
  text: string;
  fields: string[];
  inherited: boolean;
}

async function newTemplate(key: string, name: string, text: string) {
  const created = await call<TemplateBody>('POST', '/v1/templates', { key, body: { name, text } });
  expect(created.status).toBe(201);
  return created.body;
}

describe('saved templates', () => {
  it('create, list, read, change, delete', async () => {
    // Arrange
    const a = await newAccount('1.0000');
    // Act
    const t = await newTemplate(a.apiKey, 'Reminder', 'Salut #Prenume, ne vedem la #ora.');
    const second = await newTemplate(a.apiKey, 'Other', 'Plain');
    // Assert
    expect(t).toMatchObject({ name: 'Reminder', fields: ['Prenume', 'ora'], inherited: false });
    const page1 = await call<{ items: TemplateBody[]; cursor?: string }>('GET', '/v1/templates?limit=1', {
      key: a.apiKey,
    });
    expect(page1.body.items.map((x) => x.id)).toEqual([t.id]);
    const page2 = await call<{ items: TemplateBody[]; cursor?: string }>(
      'GET',
      `/v1/templates?limit=1&cursor=${page1.body.cursor}`,
      { key: a.apiKey },
    );
    expect(page2.body.items.map((x) => x.id)).toEqual([second.id]);
    const changed = await call<TemplateBody>('PUT', `/v1/templates/${t.id}`, {
      key: a.apiKey,
      body: { text: 'Hello #name' },
    });
    expect(changed.body).toMatchObject({ name: 'Reminder', text: 'Hello #name', fields: ['name'] });
    expect((await call('GET', `/v1/templates/${t.id}`, { key: a.apiKey })).body).toMatchObject({
      text: 'Hello #name',
    });
    expect((await call('DELETE', `/v1/templates/${t.id}`, { key: a.apiKey })).status).toBe(204);
    expect((await call('GET', `/v1/templates/${t.id}`, { key: a.apiKey })).status).toBe(404);
    expect((await call('DELETE', `/v1/templates/${t.id}`, { key: a.apiKey })).status).toBe(404);
    expect(
      (await call('POST', '/v1/templates', { key: a.apiKey, body: { name: '', text: 'x' } })).status,
    ).toBe(400);
  });

  it('a single send by templateId renders the fields; a missing field is refused and charges nothing', async () => {
    // Arrange
    const a = await newAccount('1.0000');
    const t = await newTemplate(a.apiKey, 'Order', 'Comanda ##{#nr} e gata, #nume!');
    const to = mobile();
    // Act
    const sent = await call<{ id: string; status: string }>('POST', '/v1/messages', {
      key: a.apiKey,
      body: { to, templateId: t.id, fields: { nr: 1042, nume: 'Ana' } },
    });
    const missing = await call('POST', '/v1/messages', {
      key: a.apiKey,
      body: { to, templateId: t.id, fields: { nr: 1 } },
    });
    const both = await call('POST', '/v1/messages', {
      key: a.apiKey,
      body: { to, text: 'x', templateId: t.id },
    });
    // Assert
    expect(sent.status).toBe(202);
    const received = await eventually(simMessages, (list) => list.some((m) => m.to === to), {
      timeoutMs: 15_000,
    });
    expect(received.find((m) => m.to === to)?.text).toBe('Comanda #{1042} e gata, Ana!');
    expect(missing.status).toBe(422);
    expect(missing.body).toMatchObject({
      error: { code: 'UNKNOWN_PLACEHOLDERS', details: { names: ['nume'] } },
    });
    expect(both.status).toBe(400);
    const account = await call<{ balance: string }>('GET', '/v1/account', { key: a.apiKey });
    const message = await call<{ cost: string }>('GET', `/v1/messages/${sent.body.id}`, { key: a.apiKey });
    expect(Number(account.body.balance)).toBeCloseTo(1 - Number(message.body.cost), 4);
  });

  it('a batch by templateId fills #header placeholders from the file', async () => {
    // Arrange
    const a = await newAccount('1.0000');
    const t = await newTemplate(a.apiKey, 'Batch', 'Salut #Prenume!');
    // Act
    const batch = await readyBatch(a.apiKey, `Telefon,Prenume\n${mobile()},Ion\n${mobile()},Maria\n`, {
      templateId: t.id,
    });
    // Assert
    expect(batch.status).toBe('ready');
    const rows = await call<{ items: { text: string }[] }>('GET', `/v1/batches/${batch.id}/rows`, {
      key: a.apiKey,
    });
    expect(rows.body.items.map((r) => r.text)).toEqual(['Salut Ion!', 'Salut Maria!']);
    const both = await call('POST', '/v1/batches', {
      key: a.apiKey,
      body: { uploadId: 'x', name: 'x', firstRow: 2, phoneColumn: 'A', text: 'x', templateId: t.id },
    });
    expect(both.status).toBe(400);
  });

  it("a subuser uses its parent's templates read-only; another account never sees them", async () => {
    // Arrange
    const parent = await newAccount('1.0000');
    const other = await newAccount('1.0000');
    const sub = await call<{ id: string; apiKey: string }>('POST', '/v1/subusers', {
      key: parent.apiKey,
      body: { username: `tpl-${parent.id}`, password: 'correct horse battery', billing: 'parent' },
    });
    const t = await newTemplate(parent.apiKey, 'Shared', 'Hi #name');
    const key = sub.body.apiKey;
    // Act + Assert: the subuser
    expect((await call('GET', `/v1/templates/${t.id}`, { key })).body).toMatchObject({ inherited: true });
    const inherited = await call<{ items: TemplateBody[] }>('GET', '/v1/templates?owner=parent', { key });
    expect(inherited.body.items.map((x) => x.id)).toEqual([t.id]);
    expect((await call<{ items: unknown[] }>('GET', '/v1/templates', { key })).body.items).toEqual([]);
    expect((await call('PUT', `/v1/templates/${t.id}`, { key, body: { name: 'x' } })).status).toBe(403);
    expect((await call('DELETE', `/v1/templates/${t.id}`, { key })).status).toBe(403);
    const sent = await call('POST', '/v1/messages', {
      key,
      body: { to: mobile(), templateId: t.id, fields: { name: 'Sub' } },
    });
    expect(sent.status).toBe(202);
    // Act + Assert: another account
    const foreign = other.apiKey;
    for (const [method, body] of [
      ['GET', undefined],
      ['PUT', { name: 'stolen' }],
      ['DELETE', undefined],
    ] as const) {
      const answer = await call(method, `/v1/templates/${t.id}`, { key: foreign, ...(body ? { body } : {}) });
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain('Hi #name');
    }
    const send = await call('POST', '/v1/messages', {
      key: foreign,
      body: { to: mobile(), templateId: t.id, fields: { name: 'x' } },
    });
    expect(send.status).toBe(404);
    expect((await call<{ items: unknown[] }>('GET', '/v1/templates', { key: foreign })).body.items).toEqual(
      [],
    );
    expect((await call('GET', '/v1/templates?owner=parent', { key: foreign })).status).toBe(400);
    expect((await call('GET', `/v1/templates/${t.id}`, { key: parent.apiKey })).body).toMatchObject({
      name: 'Shared',
      inherited: false,
    });
  });
});
