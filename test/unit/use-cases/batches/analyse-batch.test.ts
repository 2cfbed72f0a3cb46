import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type Batch, type BatchRow, type BatchSummary, EMPTY_PROGRESS } from '#domain/batch/batch';
import type { AccountRepository, BlocklistRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';
import { objectKeys } from '#topology/workflows';
import { type AnalyseDeps, analyseBatchChunk, summariseBatch } from '#use-cases/batches/analyse-batch';
import { testAccount } from '../../../support/in-memory';
import { InMemoryPriceLists } from '../../../support/in-memory-platform';

const ACCOUNT = 'acc1';
const BATCH = 'b1';

function arrange() {
  const objects = new Map<string, Uint8Array>();
  const batch: Batch = {
    id: BATCH,
    accountId: ACCOUNT,
    name: 'Toamnă',
    status: 'analysing',
    uploadId: 'u1',
    mapping: { firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    options: {
      from: 'Shop',
      speed: 0,
      dedup: true,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
    },
    progress: EMPTY_PROGRESS,
    createdAt: '2026-11-24T10:00:00.000Z',
  };
  const stored: { summary?: BatchSummary; chunkKeys?: readonly string[] } = {};
  const files = {
    read: async (key: string) => {
      const body = objects.get(key);
      if (!body) throw new Error(`NoSuchKey ${key}`);
      return body;
    },
    write: async (key: string, body: string | Uint8Array) => {
      objects.set(key, typeof body === 'string' ? new TextEncoder().encode(body) : body);
    },
  };
  const batches = {
    get: async () => batch,
    transition: async (_a: string, _b: string, _to: string, changes: typeof stored) => {
      Object.assign(stored, changes);
      return { ...batch, status: 'ready' };
    },
  };
  const blocked = new Set(['+40722000013']);
  const deps: AnalyseDeps = {
    batches: batches as unknown as BatchRepository,
    accounts: { get: async () => testAccount({ id: ACCOUNT }) } as unknown as AccountRepository,
    blocklist: {
      findMany: async (_a: string, numbers: readonly string[]) => {
        // As DynamoDB's BatchGetItem: duplicate keys are an error.
        if (new Set(numbers).size !== numbers.length) throw new Error('item keys contain duplicates');
        return new Map(numbers.filter((n) => blocked.has(n)).map((n) => [n, 'account' as const]));
      },
    } as unknown as BlocklistRepository,
    prices: new InMemoryPriceLists(),
    files: files as unknown as ObjectStore,
  };
  return { deps, objects, stored };
}

/** Parsed rows as parse-batch-file writes them: valid, invalid (with reasons), duplicates, a blocklisted one. */
function parsedRows(count: number): BatchRow[] {
  return Array.from({ length: count }, (_, i): BatchRow => {
    const row = i + 2;
    const to = `+4072200${String(i % 10_000).padStart(4, '0')}`;
    if (i % 7 === 3) return { row, status: 'invalid', reason: `INVALID_NUMBER:R${i % 5}` };
    if (i % 11 === 5) return { row, to, status: 'duplicate' };
    return {
      row,
      to,
      text: i % 3 === 0 ? 'Salut, ce mai faci? ăîșț'.repeat(1 + (i % 4)) : 'Hello',
      status: 'ok',
    };
  });
}

/** Splits rows into chunks of the given sizes, analyses each, then summarises: what the workflow does. */
async function analyse(rows: readonly BatchRow[], sizes: readonly number[]) {
  const { deps, objects, stored } = arrange();
  const chunks: { index: number; key: string }[] = [];
  let offset = 0;
  for (const [index, size] of sizes.entries()) {
    const key = objectKeys.chunk(ACCOUNT, BATCH, 'parsed', index);
    const lines = rows.slice(offset, offset + size).map((r) => `${JSON.stringify(r)}\n`);
    objects.set(key, new TextEncoder().encode(lines.join('')));
    chunks.push({ index, key });
    offset += size;
  }
  const outputs = await Promise.all(
    chunks.map((chunk) => analyseBatchChunk(deps, { accountId: ACCOUNT, batchId: BATCH, chunk })),
  );
  const parse = {
    chunks,
    rows: rows.length,
    invalid: 0,
    duplicates: rows.filter((r) => r.status === 'duplicate').length,
    reasons: {},
  };
  const { summary } = await summariseBatch(deps, { accountId: ACCOUNT, batchId: BATCH, parse });
  return { summary, outputs, stored };
}

describe('analyse-batch keeps per-chunk stats out of the workflow state', () => {
  it('answers each chunk with a constant-size item, whatever the rows and reasons', async () => {
    // Arrange
    const rows = parsedRows(3_000);

    // Act
    const { outputs } = await analyse(rows, [1, 999, 2_000]);

    // Assert: `{"index":n}`, the same few bytes for a 1-row and a 2 000-row chunk with many reasons
    expect(outputs).toEqual([{ index: 0 }, { index: 1 }, { index: 2 }]);
    for (const output of outputs) expect(JSON.stringify(output).length).toBeLessThanOrEqual(16);
  });

  it('summarises the counts read back from S3: valid, invalid with reasons, blocklisted, parts, cost', async () => {
    // Arrange
    const rows = parsedRows(50);

    // Act
    const { summary, stored } = await analyse(rows, [20, 20, 10]);

    // Assert
    const ok = rows.filter((r) => r.status === 'ok');
    expect(summary).toMatchObject({
      rows: 50,
      valid: ok.length - 1,
      invalid: rows.filter((r) => r.status === 'invalid').length,
      duplicates: rows.filter((r) => r.status === 'duplicate').length,
      blocklisted: 1,
      messages: ok.length - 1,
      chunks: 3,
    });
    expect(summary.parts).toBeGreaterThan(summary.messages);
    expect(summary.cost).toBeGreaterThan(0);
    expect(stored.chunkKeys).toEqual([0, 1, 2].map((i) => objectKeys.chunk(ACCOUNT, BATCH, 'ready', i)));
  });

  it('gives the same summary however the rows are split into chunks', async () => {
    const rows = parsedRows(120);
    const { summary: whole } = await analyse(rows, [rows.length]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 12 }),
        async (cuts) => {
          // Arrange: chunk sizes adding up to the row count
          const sizes: number[] = [];
          let left = rows.length;
          for (const cut of cuts) {
            if (left === 0) break;
            sizes.push(Math.min(cut, left));
            left -= Math.min(cut, left);
          }
          if (left > 0) sizes.push(left);

          // Act
          const { summary } = await analyse(rows, sizes);

          // Assert
          expect({ ...summary, chunks: 0 }).toEqual({ ...whole, chunks: 0 });
          expect(summary.chunks).toBe(sizes.length);
        },
      ),
      { numRuns: 30 },
    );
  });
});

describe('analyse-batch with per-row columns', () => {
  it('keeps a row’s own sender, reference and report URL, and counts each invalid reason once', async () => {
    // Arrange: what the parse wrote (its reasons counted the invalid rows already)
    const rows: BatchRow[] = [
      { row: 2, to: '+40722000001', text: 'a', status: 'ok', from: 'Promo', clientReference: 'R1' },
      { row: 3, to: '+40722000002', text: 'b', status: 'ok', reportUrl: 'https://x.example/%d' },
      // The same number again (a batch without number de-duplication): looked up once.
      { row: 6, to: '+40722000001', text: 'other', status: 'ok' },
      { row: 4, to: '+40722000003', status: 'invalid', reason: 'SENDER_NOT_ALLOWED' },
      { row: 5, to: '+40722000004', text: '', status: 'ok' },
    ];
    const { deps, objects } = arrange();
    const key = objectKeys.chunk(ACCOUNT, BATCH, 'parsed', 0);
    objects.set(key, new TextEncoder().encode(rows.map((r) => `${JSON.stringify(r)}\n`).join('')));

    // Act
    await analyseBatchChunk(deps, { accountId: ACCOUNT, batchId: BATCH, chunk: { index: 0, key } });
    const parse = {
      chunks: [{ index: 0, key }],
      rows: 5,
      invalid: 1,
      duplicates: 0,
      reasons: { SENDER_NOT_ALLOWED: 1 },
    };
    const { summary } = await summariseBatch(deps, { accountId: ACCOUNT, batchId: BATCH, parse });

    // Assert
    const ready = new TextDecoder()
      .decode(objects.get(objectKeys.chunk(ACCOUNT, BATCH, 'ready', 0)))
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as BatchRow);
    expect(ready[0]).toMatchObject({ status: 'ok', from: 'Promo', clientReference: 'R1', parts: 1 });
    expect(ready[1]).toMatchObject({ status: 'ok', reportUrl: 'https://x.example/%d' });
    expect(ready[1]).not.toHaveProperty('from');
    expect(summary).toMatchObject({
      valid: 3,
      invalid: 2,
      reasons: { SENDER_NOT_ALLOWED: 1, EMPTY_TEXT: 1 },
    });
  });
});
