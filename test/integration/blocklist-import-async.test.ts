import { describe, expect, it } from 'vitest';
import { call, eventually, mobiles, newAccount } from '../support/api';
import { uploadCsv } from '../support/batches';
import { TEST_STACK_ENV } from '../support/test-stack-env';

const SYNC_MAX_ROWS = Number(TEST_STACK_ENV.BLOCKLIST_IMPORT_SYNC_MAX_ROWS);

interface ImportView {
  id: string;
  status: string;
  progress: { rows?: number; chunks?: number; chunksDone: number };
  rows?: number;
  added?: number;
  duplicates?: number;
  alreadyListed?: number;
  invalid?: number;
  invalidRows?: { row: number; reason: string }[];
}

describe('blocklist imports larger than the synchronous threshold', () => {
  it('answer 202 with an import that runs in the workflow; once completed, its numbers are refused on send', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const other = await newAccount('0');
    const numbers = mobiles(SYNC_MAX_ROWS * 3 - 200);
    const [listed] = numbers;
    await call('POST', '/v1/blocklist', { key: account.apiKey, body: { number: listed, reason: 'kept' } });
    const rows = [...numbers, ...numbers.slice(100, 250), ...Array.from({ length: 60 }, (_, i) => `x${i}`)];
    const uploadId = await uploadCsv(account.apiKey, `Telefon\n${rows.join('\n')}\n`);

    // Act
    const started = await call<ImportView>('POST', '/v1/blocklist/imports', {
      key: account.apiKey,
      body: { uploadId, phoneColumn: 'A', firstRow: 2, reason: 'migrated' },
    });
    const done = await eventually(
      () => call<ImportView>('GET', `/v1/blocklist/imports/${started.body.id}`, { key: account.apiKey }),
      (r) => r.body.status !== 'running',
      { timeoutMs: 60_000, intervalMs: 250 },
    );

    // Assert
    expect(started.status, JSON.stringify(started.body)).toBe(202);
    expect(started.headers.get('location')).toBe(`/v1/blocklist/imports/${started.body.id}`);
    expect(started.body).toMatchObject({ status: 'running', progress: { chunksDone: 0 } });
    expect(done.status).toBe(200);
    expect(done.body).toMatchObject({
      status: 'completed',
      rows: rows.length,
      added: numbers.length - 1,
      alreadyListed: 1,
      duplicates: 151,
      invalid: 60,
      progress: { rows: rows.length, chunks: 3, chunksDone: 3 },
    });
    expect(done.body.invalidRows?.[0]).toEqual({ row: numbers.length + 150 + 2, reason: 'INVALID' });
    const sample = [numbers[1], numbers[SYNC_MAX_ROWS], numbers[numbers.length - 1], listed];
    for (const to of sample) {
      const refused = await call('POST', '/v1/messages', { key: account.apiKey, body: { to, text: 'x' } });
      expect(refused.status, to).toBe(422);
      expect(refused.body).toMatchObject({ error: { code: 'BLOCKLISTED' } });
    }
    const note = await call('GET', `/v1/blocklist/${encodeURIComponent(numbers[2] ?? '')}`, {
      key: account.apiKey,
    });
    expect(note.body).toMatchObject({ blocked: true, note: 'migrated' });
    const foreign = await call('GET', `/v1/blocklist/imports/${started.body.id}`, { key: other.apiKey });
    expect(foreign.status).toBe(404);
  });
});
