import type { Batch, BatchRow } from '#domain/batch/batch';
import type { BatchFinalTotals } from '#domain/batch/settlement';
import type { LedgerEntry } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import { fixedPriceList } from '#ports/price-lists';
import { jobMessage, parseRows, planChunkMessages } from '#use-cases/batches/batch-messages';
import type { SettleBatchDeps } from '#use-cases/batches/settle-batch';
import { fixedClock, InMemoryStore, sequentialIds, testAccount, testBatch } from '../../../support/in-memory';

/**
 * A running batch of three one-part messages (R2, R3, R4), their cost reserved, for the races between
 * its senders and its settlement (fail-batch-race, fail-batch-throttle and throttle-resume tests).
 */
export const NOW = '2026-11-24T10:00:00.000Z';
export const PRICE = 450;
export const BALANCE = 10_000;
const rows: BatchRow[] = [2, 3, 4].map((row) => ({
  row,
  status: 'ok',
  to: `+4072211100${row}`,
  text: `Promo ${row}`,
  encoding: 'GSM-7',
  parts: 1,
  cost: PRICE,
}));

export function arrangeFailingBatch() {
  const store = new InMemoryStore();
  store.accounts.set('acc1', testAccount({ balance: BALANCE - 3 * PRICE, reserved: 3 * PRICE }));
  let batch: Batch = testBatch({ createdAt: NOW, startedAt: NOW, reserved: 3 * PRICE, fundedBy: 'acc1' });
  const batches = {
    get: async () => batch,
    chunkKeys: async () => ['ready/0'],
    transition: async (_a: string, _b: string, to: Batch['status'], changes: Partial<Batch> = {}) => {
      if (batch.status !== 'running' && batch.status !== 'paused') return undefined;
      batch = { ...batch, ...changes, status: to };
      return batch;
    },
    settle: async (b: Batch, to: Batch['status'], totals: BatchFinalTotals, entries: LedgerEntry[]) => {
      if (batch.finalTotals) return undefined;
      const account = store.accounts.get(b.accountId);
      if (!account) throw new Error('no account');
      store.accounts.set(b.accountId, {
        ...account,
        reserved: account.reserved - (b.reserved ?? 0),
        spent: account.spent + totals.cost,
        balance: account.balance + totals.refunded,
      });
      store.ledger.push(...entries);
      batch = { ...batch, status: to, finalTotals: totals };
      return batch;
    },
  };
  const settleDeps: SettleBatchDeps = {
    batches: batches as unknown as BatchRepository,
    messages: store.messageRepo,
    accounts: store.accountRepo,
    prices: fixedPriceList({
      id: 'default',
      currency: 'EUR',
      entries: [{ prefix: '40', pricePerPart: PRICE }],
    }),
    files: {
      read: async () => new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n')),
      write: async () => {},
    } as unknown as SettleBatchDeps['files'],
    ids: sequentialIds(),
    clock: fixedClock(NOW),
  };
  const planned = planChunkMessages(batch, parseRows(rows.map((r) => JSON.stringify(r)).join('\n')), 0, NOW);
  const jobs = planned.map((m) => ({ accountId: 'acc1', messageId: m.id, message: jobMessage(m) }));
  return { store, settleDeps, jobs, batches, batch: () => batch };
}
