import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Batch, BatchRow } from '#domain/batch/batch';
import type { Message } from '#domain/message/message';
import { messagePosition } from '#domain/report/report';
import type { ObjectStore } from '#ports/object-store';
import type { MessageFilter, ReportSources } from '#ports/report-sources';
import { type ReportDeps, searchMessages } from '#use-cases/reports/search-messages';
import { fixedClock } from '../../../support/in-memory';

const NOW = '2026-11-24T12:00:00.000Z';
const at = (minute: number) => new Date(Date.parse(NOW) - (600 - minute) * 60_000).toISOString();

function message(id: string, createdAt: string, extra: Partial<Message> = {}): Message {
  return {
    id,
    accountId: 'acc',
    to: '+40722000011',
    from: 'Shop',
    text: 't',
    encoding: 'GSM-7',
    parts: 1,
    cost: 450,
    pricePerPart: 450,
    fundedBy: 'acc',
    currency: 'EUR',
    status: 'delivered',
    createdAt,
    events: [],
    reference: `acc.${id}`,
    ...extra,
  };
}

/** An account with single messages and batches (each chunk's messages created at one minute). */
function world(singleMinutes: number[], batchChunks: number[][]) {
  const singles = singleMinutes.map((m, i) => message(`S${i}`, at(m)));
  const stored = new Map<string, Message>(singles.map((m) => [m.id, m]));
  // The order the listing promises: singles by creation, a campaign's messages at its start, newest row first.
  const expected = singles.map((m) => ({ id: m.id, position: messagePosition(m) }));
  const pad = (n: number) => String(n).padStart(7, '0');
  const files = new Map<string, string>();
  const batches: Batch[] = batchChunks.map((chunks, b) => {
    const id = `B${b}`;
    const startedAt = at(Math.min(...chunks));
    let row = 2;
    const keys = chunks.map((minute, c) => {
      const rows: BatchRow[] = [];
      for (let k = 0; k < 3; k++, row++) {
        rows.push({ row, to: '+40722000011', status: 'ok' });
        stored.set(`${id}R${row}`, message(`${id}R${row}`, at(minute), { batchId: id }));
        expected.push({ id: `${id}R${row}`, position: `${startedAt}#${id}#${pad(c)}${pad(k)}` });
      }
      rows.push({ row: row++, status: 'invalid', reason: 'X' });
      files.set(`${id}/${c}`, rows.map((r) => JSON.stringify(r)).join('\n'));
      return `${id}/${c}`;
    });
    files.set(`${id}/keys`, JSON.stringify(keys));
    return {
      id,
      accountId: 'acc',
      name: id,
      status: 'completed',
      uploadId: 'u',
      mapping: { firstRow: 2, phoneColumn: 'A', text: 'x' },
      options: {
        from: 'Shop',
        speed: 0,
        dedup: true,
        blocklist: true,
        smartEncoding: false,
        missingValues: 'empty',
      },
      progress: { queued: 0, sent: 0, delivered: 0, failed: 0, cancelled: 0, parts: 0, cost: 0 },
      createdAt: startedAt,
      startedAt,
    } satisfies Batch;
  });
  const matches = (m: Message, f: MessageFilter) =>
    (!f.status || m.status === f.status) && (!f.to || m.to === f.to) && (!f.from || m.from === f.from);
  const sources: ReportSources = {
    async singles(_, { from, before, limit, filter }) {
      const hits = singles
        .filter((m) => messagePosition(m) >= from && messagePosition(m) < before && matches(m, filter))
        .sort((a, b) => (messagePosition(a) < messagePosition(b) ? 1 : -1));
      return { items: hits.slice(0, limit), more: hits.length > limit };
    },
    async batchesCreated() {
      return [...batches].reverse();
    },
  };
  const deps: ReportDeps = {
    accounts: { get: async () => undefined },
    sources,
    batches: {
      get: async (_, id) => batches.find((b) => b.id === id),
      chunkKeys: async (_, id) => JSON.parse(files.get(`${id}/keys`) ?? '[]') as string[],
      chunkMessageCounts: async () => [],
    },
    messages: { getMany: async (_, ids) => ids.flatMap((id) => stored.get(id) ?? []) },
    files: { read: async (key: string) => new TextEncoder().encode(files.get(key) ?? '') } as Pick<
      ObjectStore,
      'read'
    >,
    clock: fixedClock(NOW),
  };
  const all = expected.sort((a, b) => (a.position < b.position ? 1 : -1));
  return { deps, all };
}

const caller = { accountId: 'acc', account: { country: 'RO' } };

describe('searchMessages', () => {
  it('pages through single and batch messages newest first, each exactly once, whatever the page size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.integer({ min: 0, max: 599 }), { maxLength: 12 }),
        fc.array(fc.array(fc.integer({ min: 0, max: 599 }), { minLength: 1, maxLength: 3 }), {
          maxLength: 3,
        }),
        fc.integer({ min: 1, max: 7 }),
        async (singleMinutes, batchMinutes, limit) => {
          // Chunks' messages may be created in any order (they overlap in time at full speed).
          const { deps, all } = world(singleMinutes, batchMinutes);
          const seen: string[] = [];
          let cursor: string | undefined;
          for (let page = 0; page < 100; page++) {
            const result = await searchMessages(deps, caller, { limit, ...(cursor ? { cursor } : {}) });
            expect(result.items.length).toBeLessThanOrEqual(limit);
            seen.push(...result.items.map((m) => m.id));
            cursor = result.cursor;
            if (!cursor) break;
          }
          expect(seen).toEqual(all.map((m) => m.id));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('a campaign search lists only that batch; a cursor of another owner is refused', async () => {
    const { deps } = world([1, 2], [[3, 4]]);
    const page = await searchMessages(deps, caller, { limit: 100, campaign: 'B0' });
    expect(page.items.map((m) => m.batchId)).toEqual(Array(6).fill('B0'));
    const first = await searchMessages(deps, caller, { limit: 1 });
    await expect(
      searchMessages(deps, { ...caller, accountId: 'other' }, { limit: 1, cursor: first.cursor ?? '' }),
    ).rejects.toMatchObject({ code: 'VALIDATION_FAILED' });
    await expect(searchMessages(deps, caller, { limit: 1, campaign: 'nope' })).rejects.toMatchObject({
      code: 'NOT_FOUND',
    });
  });
});
