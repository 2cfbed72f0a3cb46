import { describe, expect, it } from 'vitest';
import type { Batch, BatchRow } from '#domain/batch/batch';
import { parseBatchMessageId, plannedBatchMessage } from '#use-cases/batches/planned-message';
import { testBatch } from '../../../support/in-memory';

const STARTED = '2026-11-24T10:00:00.000Z';

function batch(overrides: Partial<Batch> = {}): Batch {
  return testBatch({ id: '01JBATCH', createdAt: STARTED, startedAt: STARTED, ...overrides });
}

const ok = (row: number): BatchRow => ({
  row,
  status: 'ok',
  to: `+4072200${String(row).padStart(4, '0')}`,
  text: `Hi ${row}`,
  encoding: 'GSM-7',
  parts: 1,
  cost: 450,
});

/** Chunks of rows with gaps (rows 2..4 then 40..42 then 900..901), counting the S3 reads. */
function arrange(b: Batch, chunks: BatchRow[][]) {
  const reads: string[] = [];
  const deps = {
    batches: {
      get: async (accountId: string, id: string) =>
        accountId === b.accountId && id === b.id ? b : undefined,
      chunkKeys: async () => chunks.map((_, i) => `ready/${i}`),
      chunkMessageCounts: async () => chunks.map((rows) => rows.filter((r) => r.status === 'ok').length),
    },
    files: {
      read: async (key: string) => {
        reads.push(key);
        const rows = chunks[Number(key.split('/')[1])] ?? [];
        return new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n'));
      },
    },
  };
  return { deps, reads };
}

const gapped = [
  [ok(2), ok(3), { row: 4, status: 'invalid' as const, reason: 'INVALID_NUMBER' }],
  [ok(40), ok(41)],
  [ok(900), ok(901)],
];

describe('plannedBatchMessage: a batch message before its item exists', () => {
  it('parses batch message ids, the last R/M followed by digits', () => {
    expect(parseBatchMessageId('01JBR12R5')).toEqual({ batchId: '01JBR12', kind: 'R', n: 5 });
    expect(parseBatchMessageId('01JBM7')).toEqual({ batchId: '01JB', kind: 'M', n: 7 });
    expect(parseBatchMessageId('01JB')).toBeUndefined();
  });

  it('answers a row of a running batch as queued, from its chunk, whatever the gaps in row numbers', async () => {
    const { deps, reads } = arrange(batch(), gapped);
    for (const row of [2, 3, 40, 41, 900, 901]) {
      const message = await plannedBatchMessage(deps, 'acc1', `01JBATCHR${row}`);
      expect(message).toMatchObject({
        id: `01JBATCHR${row}`,
        status: 'queued',
        text: `Hi ${row}`,
        cost: 450,
      });
      expect(message?.events).toEqual([{ status: 'queued', at: STARTED }]);
    }
    // each lookup reads at most log2(chunks) + 1 chunks
    expect(reads.length).toBeLessThanOrEqual(6 * 3);
  });

  it('an invalid row, a row that does not exist, another account or a batch never started: nothing', async () => {
    const { deps } = arrange(batch(), gapped);
    expect(await plannedBatchMessage(deps, 'acc1', '01JBATCHR4')).toBeUndefined();
    expect(await plannedBatchMessage(deps, 'acc1', '01JBATCHR5')).toBeUndefined();
    expect(await plannedBatchMessage(deps, 'acc1', '01JBATCHR2000')).toBeUndefined();
    expect(await plannedBatchMessage(deps, 'acc2', '01JBATCHR2')).toBeUndefined();
    const { deps: notStarted } = arrange(
      batch({ status: 'ready', startedAt: undefined } as Partial<Batch>),
      gapped,
    );
    expect(await plannedBatchMessage(notStarted, 'acc1', '01JBATCHR2')).toBeUndefined();
  });

  it('a stopped batch answers what it never sent as cancelled', async () => {
    const { deps } = arrange(batch({ status: 'stopped', finishedAt: '2026-11-24T10:05:00.000Z' }), gapped);
    const message = await plannedBatchMessage(deps, 'acc1', '01JBATCHR41');
    expect(message).toMatchObject({ status: 'cancelled', reason: 'BATCH_STOPPED' });
    expect(message?.events.at(-1)).toEqual({
      status: 'cancelled',
      at: '2026-11-24T10:05:00.000Z',
      reason: 'BATCH_STOPPED',
    });
  });

  it('finds a monitoring copy in the chunk holding the k-th message', async () => {
    const monitored = batch({
      options: { ...batch().options, monitoring: { number: '+40722999999', every: 100 } },
      summary: {
        rows: 250,
        valid: 250,
        invalid: 0,
        duplicates: 0,
        blocklisted: 0,
        messages: 252,
        parts: 252,
        cost: 113_400,
        reasons: {},
        chunks: 2,
        monitoring: { messages: 2, parts: 2, cost: 900 },
      },
    });
    const rows = Array.from({ length: 250 }, (_, i) => ok(i + 2));
    const { deps } = arrange(monitored, [rows.slice(0, 150), rows.slice(150)]);
    const second = await plannedBatchMessage(deps, 'acc1', '01JBATCHM200');
    expect(second).toMatchObject({ id: '01JBATCHM200', to: '+40722999999', status: 'queued', cost: 450 });
    expect(await plannedBatchMessage(deps, 'acc1', '01JBATCHM150')).toBeUndefined();
  });
});
