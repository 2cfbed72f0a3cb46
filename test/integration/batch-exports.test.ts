import { describe, expect, it } from 'vitest';
import { openSpreadsheet } from '#adapters/spreadsheet/spreadsheet';
import { call, eventually, mobile, newAccount } from '../support/api';
import { batchUntil, readyBatch } from '../support/batches';
import { isUnguarded } from '../support/csv';

interface ExportBody {
  id: string;
  batchId: string;
  format: string;
  status: 'pending' | 'running' | 'ready' | 'failed';
  rows?: number;
  bytes?: number;
  url?: string;
  urlExpiresAt?: string;
  reason?: string;
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const STATUS_BY_SUFFIX: Record<string, string> = { '00': 'undelivered', '98': 'expired', '99': 'rejected' };

describe('POST /v1/batches/{id}/exports (asynchronous results export)', () => {
  it('writes a sent batch as xlsx in the background: every row and final status, downloadable', async () => {
    // Arrange: 24 sendable rows with carrier outcomes picked by suffix, hostile texts, an invalid number.
    const account = await newAccount('10.0000');
    const suffixes = ['11', '00', '98', '99'];
    const numbers = Array.from({ length: 24 }, (_, i) => mobile(suffixes[i % suffixes.length]));
    const texts = numbers.map((_, i) => (i % 5 === 0 ? `=HYPERLINK("http://x/${i}")` : `Salut ${i}, Ștefan`));
    const csv = [
      'phone,text',
      ...numbers.map((n, i) => `${n},"${texts[i]?.replaceAll('"', '""')}"`),
      '0712,bad number',
    ].join('\n');
    const batch = await readyBatch(account.apiKey, csv, { messageColumn: 'B', speed: 0 });
    expect(batch.status).toBe('ready');
    expect((await call('POST', `/v1/batches/${batch.id}/start`, { key: account.apiKey })).status).toBe(200);
    const done = await batchUntil(account.apiKey, batch.id, (b) =>
      ['completed', 'failed'].includes(b.status),
    );
    expect(done.status).toBe('completed');

    // Act: request the export (twice: the second joins the first or finds it ready), then poll it.
    const requested = await call<ExportBody>('POST', `/v1/batches/${batch.id}/exports`, {
      key: account.apiKey,
      body: { format: 'xlsx' },
      headers: { 'idempotency-key': `exp-${batch.id}` },
    });
    const replay = await call<ExportBody>('POST', `/v1/batches/${batch.id}/exports`, {
      key: account.apiKey,
      body: { format: 'xlsx' },
      headers: { 'idempotency-key': `exp-${batch.id}` },
    });
    const location = requested.headers.get('location') ?? '';
    const ready = (
      await eventually(
        () => call<ExportBody>('GET', location, { key: account.apiKey }),
        (r) => r.status !== 200 || r.body.status === 'ready' || r.body.status === 'failed',
        { timeoutMs: 60_000, intervalMs: 250 },
      )
    ).body;
    const download = await fetch(ready.url ?? '');
    const bytes = new Uint8Array(await download.arrayBuffer());

    // Assert: the answers.
    expect(requested.status).toBe(202);
    expect(requested.body).toMatchObject({ batchId: batch.id, format: 'xlsx' });
    expect(['pending', 'running', 'ready']).toContain(requested.body.status);
    expect(location).toBe(`/v1/batches/${batch.id}/exports/${requested.body.id}`);
    expect(replay.status).toBe(202);
    expect(replay.body.id).toBe(requested.body.id);
    expect(ready).toMatchObject({ id: requested.body.id, status: 'ready', rows: 25 });
    expect(download.status).toBe(200);
    expect(download.headers.get('content-type')).toBe(XLSX);
    expect(bytes.byteLength).toBe(ready.bytes);

    // Assert: the file, read back with the project's reader.
    const book = await openSpreadsheet(bytes);
    const rows: unknown[][] = [];
    for await (const row of book.rows()) rows.push(Array.from({ length: 11 }, (_, i) => row.cells[i] ?? ''));
    expect(rows[0]?.slice(0, 9)).toEqual([
      'row',
      'to (digits)',
      'text',
      'encoding',
      'parts',
      'cost',
      'analysis',
      'reason',
      'status',
    ]);
    expect(rows).toHaveLength(26);
    for (const [i, to] of numbers.entries()) {
      const row = rows[i + 1] ?? [];
      const text = texts[i] ?? '';
      const hostile = text.startsWith('=');
      // Ș is not in GSM-7: the Romanian texts go as UCS-2.
      expect(row.slice(0, 4)).toEqual([
        i + 2,
        to.slice(1),
        hostile ? `'${text}` : text,
        hostile ? 'GSM-7' : 'UCS-2',
      ]);
      expect(row[6]).toBe('ok');
      expect(row[8]).toBe(STATUS_BY_SUFFIX[to.slice(-2)] ?? 'delivered');
      expect(row[10]).toBe(`${batch.id}R${i + 2}`);
    }
    expect(rows[25]?.slice(0, 9)).toEqual([
      26,
      '',
      '',
      '',
      '',
      '',
      'invalid',
      expect.stringMatching(/^INVALID_NUMBER/),
      '',
    ]);
    for (const cell of rows.flat()) if (typeof cell === 'string') expect(isUnguarded(cell)).toBe(false);
  });

  it("answers 404 for another account's batch or export, 400 for an unknown format", async () => {
    // Arrange
    const owner = await newAccount('1.0000');
    const stranger = await newAccount('1.0000');
    const batch = await readyBatch(owner.apiKey, `phone\n${mobile('11')}`, { text: 'Salut' });
    const requested = await call<ExportBody>('POST', `/v1/batches/${batch.id}/exports`, {
      key: owner.apiKey,
      body: { format: 'csv' },
    });

    // Act
    const theirs = await call('POST', `/v1/batches/${batch.id}/exports`, {
      key: stranger.apiKey,
      body: { format: 'csv' },
    });
    const peek = await call('GET', `/v1/batches/${batch.id}/exports/${requested.body.id}`, {
      key: stranger.apiKey,
    });
    const bad = await call('POST', `/v1/batches/${batch.id}/exports`, {
      key: owner.apiKey,
      body: { format: 'pdf' },
    });

    // Assert
    expect(requested.status).toBe(202);
    expect(theirs.status).toBe(404);
    expect(peek.status).toBe(404);
    expect(bad.status).toBe(400);
  });
});
