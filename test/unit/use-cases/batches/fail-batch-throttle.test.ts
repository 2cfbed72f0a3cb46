import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchRepository } from '#ports/batch-repository';
import type { CarrierGateway, CarrierSubmission, SubmitResult } from '#ports/carrier-gateway';
import type { MessageRepository } from '#ports/message-repository';
import { failBatch } from '#use-cases/batches/settle-batch';
import { CarrierThrottled, submitMessage } from '#use-cases/submit-message';
import { fixedClock, sequentialIds } from '../../../support/in-memory';
import { arrangeFailingBatch, BALANCE, NOW, PRICE } from './failing-batch';

/**
 * The sender of a batch's last message against the batch's failure, with a carrier that throttles it
 * some times first (each throttle gives the claim back, and the job is retried), and the batch's owner
 * pausing or stopping it meanwhile. Every read and write of the message, the batch and the carrier is
 * one step; fast-check's scheduler runs the steps in every order it explores. Whatever the order: the
 * message is sent (at most once) and charged, or refunded and never sent; nothing stays reserved.
 */
type Scheduler = fc.Scheduler;

/** A copy of `target` whose named methods run only when the scheduler picks their step. */
function stepwise<T extends object>(s: Scheduler, target: T, names: readonly (keyof T & string)[]): T {
  const copy = { ...target } as Record<string, unknown>;
  for (const name of names) {
    const method = target[name] as (...args: unknown[]) => Promise<unknown>;
    copy[name] = (...args: unknown[]) =>
      s.schedule(Promise.resolve(), name).then(() => method.apply(target, args));
  }
  return copy as T;
}

/** Throttles the first `throttles` submissions; then accepts, each reference at most once if idempotent. */
function throttlingCarrier(throttles: number, idempotentReferences: boolean) {
  const accepted: string[] = [];
  let left = throttles;
  const carrier: CarrierGateway = {
    name: 'throttling',
    idempotentReferences,
    submit: async (submission: CarrierSubmission): Promise<SubmitResult> => {
      if (left > 0) {
        left--;
        return { outcome: 'throttled', retryAfterSeconds: 1 };
      }
      const replay = idempotentReferences && accepted.includes(submission.reference);
      if (!replay) accepted.push(submission.reference);
      return { outcome: 'accepted', carrierIds: [`c-${submission.reference}`] };
    },
  };
  return { carrier, accepted };
}

const MESSAGE_STEPS = [
  'get',
  'getMany',
  'createSubmitted',
  'sealUnsent',
  'releaseSubmission',
  'advance',
] as const;

describe('failBatch against a sender the carrier throttles', () => {
  it('every interleaving: sent once and charged, or refunded and never sent', async () => {
    let chargedThenGivenBack = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.scheduler(),
        fc.integer({ min: 0, max: 3 }),
        fc.constantFrom('none', 'pause', 'stop'),
        fc.boolean(),
        async (s, throttles, owner, idempotent) => {
          // Arrange: R2 and R3 were sent before; the job of R4 is with a sender.
          const { store, settleDeps, jobs, batches, batch } = arrangeFailingBatch();
          const { carrier, accepted } = throttlingCarrier(0, idempotent);
          const plain = {
            messages: store.messageRepo,
            carrier,
            clock: fixedClock(NOW),
            ids: sequentialIds(),
          };
          for (const job of jobs.slice(0, 2)) expect(await submitMessage(plain, job)).toBe('submitted');
          const last = jobs[2];
          if (!last) throw new Error('three jobs planned');
          const throttling = throttlingCarrier(throttles, idempotent);
          const messages = stepwise(s, store.messageRepo, MESSAGE_STEPS);
          const steppedBatches = stepwise(s, batches, ['get', 'transition', 'settle']);
          let sweptAs: string | undefined;
          const watched: MessageRepository = {
            ...messages,
            getMany: async (...args) => {
              const found = await messages.getMany(...args);
              sweptAs ??= found.find((m) => m.id === last.messageId)?.status;
              return found;
            },
            releaseSubmission: async (message) => {
              if (sweptAs === 'submitted') chargedThenGivenBack++;
              return messages.releaseSubmission(message);
            },
          };
          const sender = {
            messages: watched,
            clock: fixedClock(NOW),
            ids: sequentialIds(),
            batchState: stepwise(s, { read: async () => ({ status: batch().status, sendGeneration: 0 }) }, [
              'read',
            ]).read,
            carrier: stepwise(s, throttling.carrier, ['submit']),
          };
          const fail = failBatch(
            { ...settleDeps, batches: steppedBatches as unknown as BatchRepository, messages: watched },
            { accountId: 'acc1', batchId: 'b1', error: { Error: 'Boom' } },
          );
          // Each attempt reaches the carrier at most once, which throttles `throttles` times at most.
          const send = async () => {
            for (let attempt = 0; attempt <= throttles; attempt++) {
              try {
                return await submitMessage(sender, last);
              } catch (error) {
                if (!(error instanceof CarrierThrottled)) throw error;
              }
            }
            throw new Error('still throttled after the carrier stopped throttling');
          };
          const act =
            owner === 'none'
              ? Promise.resolve()
              : steppedBatches.transition('acc1', 'b1', owner === 'pause' ? 'paused' : 'stopped');

          // Act
          const [outcome] = await s.waitFor(Promise.all([send(), fail, act]));

          // Assert
          const sent = [...accepted, ...throttling.accepted];
          const r4 = store.messages.get('acc1/b1R4');
          const account = store.accounts.get('acc1');
          expect(new Set(sent).size).toBe(sent.length);
          expect(batch().finalTotals?.messages).toBe(sent.length);
          expect(account).toMatchObject({ reserved: 0, spent: sent.length * PRICE });
          expect((account?.balance ?? 0) + (account?.spent ?? 0)).toBe(BALANCE);
          if (sent.includes('acc1.b1R4')) {
            expect(outcome).toBe('submitted');
            expect(r4?.status).toBe('submitted');
          } else {
            expect(outcome).toBe('skipped');
            expect(r4).toMatchObject({ status: 'cancelled', reason: 'Boom' });
          }
        },
      ),
      { numRuns: 400 },
    );
    // The race this guards against was explored: the sweep read the claim, then the sender gave it back.
    expect(chargedThenGivenBack).toBeGreaterThan(0);
  });
});
