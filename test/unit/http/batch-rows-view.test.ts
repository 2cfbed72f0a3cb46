import { describe, expect, it } from 'vitest';
import type { Batch, BatchRow } from '#domain/batch/batch';
import { batchRowsView } from '#http/batch-presenters';
import type { BatchRepository } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';

const rows = (from: number, count: number): BatchRow[] =>
  Array.from({ length: count }, (_, i) => ({
    row: from + i,
    to: `+4072200000${from + i}`,
    status: 'ok',
    text: 'Salut',
    encoding: 'GSM-7',
    parts: 1,
  })) as unknown as BatchRow[];

const chunks: Record<string, BatchRow[]> = { k0: rows(2, 3), k1: rows(5, 2) };
const deps = {
  batches: { chunkKeys: async () => Object.keys(chunks) } as unknown as BatchRepository,
  files: {
    read: async (key: string) =>
      new TextEncoder().encode((chunks[key] ?? []).map((r) => JSON.stringify(r)).join('\n')),
  } as unknown as ObjectStore,
};
const batch = { id: 'b1', accountId: 'acc1', summary: { valid: 5 } } as unknown as Batch;

describe('batchRowsView (GET /v1/batches/{id}/rows)', () => {
  it('pages through every row once, across chunks', async () => {
    const first = await batchRowsView(deps, batch, { limit: 4 });
    expect(first.items.map((r) => r.row)).toEqual([2, 3, 4, 5]);
    const second = await batchRowsView(deps, batch, {
      limit: 4,
      ...(first.cursor ? { cursor: first.cursor } : {}),
    });
    expect(second.items.map((r) => r.row)).toEqual([6]);
    expect(second.cursor).toBeUndefined();
  });

  it.each(['-1:0', '0:-2', 'abc', '1', '9:0', '0:1e3'])(
    'refuses the cursor %s with a 400, not a page that never ends or restarts',
    async (cursor) => {
      await expect(batchRowsView(deps, batch, { limit: 4, cursor })).rejects.toMatchObject({
        code: 'VALIDATION_FAILED',
      });
    },
  );
});
