import { describe, expect, it } from 'vitest';
import type { CarrierSubmission } from '#ports/carrier-gateway';
import { failBatch } from '#use-cases/batches/settle-batch';
import { submitMessage } from '#use-cases/submit-message';
import { fixedClock, ScriptedCarrier, sequentialIds } from '../../../support/in-memory';
import { arrangeFailingBatch as arrange, NOW, PRICE } from './failing-batch';

/**
 * The race between a sender and a failing batch's settlement (settle-batch.ts, `failBatch`): a send job
 * that read its batch as `running` just before the workflow failed may claim its message after the
 * settlement's sweep. Every interleaving must end with the ledger exact: what reached the carrier is
 * exactly what was charged, the rest refunded, nothing left reserved. (With a throttling carrier, every
 * interleaving step by step: fail-batch-throttle.test.ts.)
 */
function gate() {
  let open = () => {};
  const opened = new Promise<void>((resolve) => {
    open = resolve;
  });
  return { open, wait: () => opened };
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
