import { describe, expect, it } from 'vitest';
import type { Batch, BatchRow } from '#domain/batch/batch';
import type { BatchFinalTotals } from '#domain/batch/settlement';
import type { LedgerEntry } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { CarrierSubmission } from '#ports/carrier-gateway';
import { fixedPriceList } from '#ports/price-lists';
import { jobMessage, parseRows, planChunkMessages } from '#use-cases/batches/batch-messages';
import { failBatch, type SettleBatchDeps } from '#use-cases/batches/settle-batch';
import { submitMessage } from '#use-cases/submit-message';
import {
  fixedClock,
  InMemoryStore,
  ScriptedCarrier,
  sequentialIds,
  testAccount,
  testBatch,
} from '../../../support/in-memory';

/**
 * The race between a sender and a failing batch's settlement (settle-batch.ts, `failBatch`): a send job
 * that read its batch as `running` just before the workflow failed may claim its message after the
 * settlement's sweep. Every interleaving must end with the ledger exact: what reached the carrier is
 * exactly what was charged, the rest refunded, nothing left reserved.
 */
const NOW = '2026-11-24T10:00:00.000Z';
const PRICE = 450;
const rows: BatchRow[] = [2, 3, 4].map((row) => ({
  row,
  status: 'ok',
  to: `+4072211100${row}`,
  text: `Promo ${row}`,
  encoding: 'GSM-7',
  parts: 1,
  cost: PRICE,
}));

function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, wait: () => opened };
}

function arrange() {
  const store = new InMemoryStore();
  store.accounts.set('acc1', testAccount({ balance: 10_000 - 3 * PRICE, reserved: 3 * PRICE }));
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
  return { store, settleDeps, jobs, batch: () => batch };
}

/** Where the failure's settlement runs relative to the last job's sender. */
const POINTS = [
  'before the sender reads the batch',
  'after the sender read the batch as running, before its claim',
  'after the claim, while the carrier call is in flight',
  'after the sender is done',
] as const;

describe('failBatch against a sender that read the batch as running', () => {
  it.each(POINTS.map((point, index) => [point, index] as const))(
    'fail %s: sent = charged, the rest refunded, nothing left reserved',
    async (_point, at) => {
      // Arrange: R2 and R3 were sent before; the job of R4 is with a sender.
      const { store, settleDeps, jobs, batch } = arrange();
      const carrier = new ScriptedCarrier(true);
      const reached = gate();
      const hold = gate();
      const sender = (pauseAt?: number) => ({
        messages: store.messageRepo,
        clock: fixedClock(NOW),
        ids: sequentialIds(),
        batchState: async () => {
          const read = { status: batch().status, sendGeneration: 0 };
          if (pauseAt === 1) {
            reached.open();
            await hold.wait();
          }
          return read;
        },
        carrier: {
          name: 'gated',
          idempotentReferences: true,
          submit: async (submission: CarrierSubmission) => {
            if (pauseAt === 2) {
              reached.open();
              await hold.wait();
            }
            return carrier.submit(submission);
          },
        },
      });
      for (const job of jobs.slice(0, 2)) expect(await submitMessage(sender(), job)).toBe('submitted');
      const last = jobs[2];
      if (!last) throw new Error('three jobs planned');
      const fail = () =>
        failBatch(settleDeps, { accountId: 'acc1', batchId: 'b1', error: { Error: 'Boom' } });

      // Act: interleave the sender of R4 with the failure's settlement.
      if (at === 0) await fail();
      const sending = submitMessage(sender(at), last);
      if (at === 1 || at === 2) {
        await reached.wait();
        await fail();
        hold.open();
      }
      const outcome = await sending;
      if (at === 3) await fail();

      // Assert
      const sent = carrier.submissions.map((s) => s.reference);
      const totals = batch().finalTotals;
      const account = store.accounts.get('acc1');
      expect(batch().status).toBe('failed');
      expect(totals?.messages).toBe(sent.length);
      expect(account).toMatchObject({ reserved: 0, spent: sent.length * PRICE });
      expect((account?.balance ?? 0) + (account?.spent ?? 0)).toBe(10_000);
      // A late claim (the sender read `running` before the failure) is refused before the carrier...
      if (at <= 1) {
        expect(outcome).toBe('skipped');
        expect(sent).toEqual(['acc1.b1R2', 'acc1.b1R3']);
        expect(store.messages.get('acc1/b1R4')).toMatchObject({ status: 'cancelled', reason: 'Boom' });
      } else {
        // ...and a claim that won the race is sent and charged.
        expect(outcome).toBe('submitted');
        expect(sent).toEqual(['acc1.b1R2', 'acc1.b1R3', 'acc1.b1R4']);
      }
    },
  );

  it('a retried failBatch changes nothing', async () => {
    const { store, settleDeps, batch } = arrange();
    const input = { accountId: 'acc1', batchId: 'b1', error: { Error: 'Boom' } };
    await failBatch(settleDeps, input);
    const first = {
      account: store.accounts.get('acc1'),
      totals: batch().finalTotals,
      ledger: store.ledger.length,
    };
    await failBatch(settleDeps, input);
    expect({
      account: store.accounts.get('acc1'),
      totals: batch().finalTotals,
      ledger: store.ledger.length,
    }).toEqual(first);
    expect(first.totals).toMatchObject({ messages: 0, refunded: 3 * PRICE });
  });
});
