import { describe, expect, it } from 'vitest';
import type { BatchRepository } from '#ports/batch-repository';
import { type PacedEnqueueDeps, resendAfterResume } from '#use-cases/batches/paced-enqueue';
import { CarrierThrottled, submitMessage } from '#use-cases/submit-message';
import { fixedClock, RecordingQueue, ScriptedCarrier, sequentialIds } from '../../../support/in-memory';
import { arrangeFailingBatch, NOW } from './failing-batch';

/**
 * A claim the carrier throttled is given back as a `queued` item; when the batch is paused before the
 * retry, the retry is dropped (`superseded`) and the resume must enqueue that message again, as it does
 * a message never claimed — else it would wait `queued` until the settlement refunds it, never sent.
 */
describe('a throttled claim across a pause', () => {
  it('is enqueued again on resume with the messages never claimed, and then sent once', async () => {
    // Arrange: R2 sent; R4 claimed, throttled and given back; R3 never reached. Paused, then resumed.
    const { store, settleDeps, jobs, batches, batch } = arrangeFailingBatch();
    const [r2, , r4] = jobs;
    if (!r2 || !r4) throw new Error('three jobs planned');
    let state = { status: 'running', sendGeneration: 0 };
    const carrier = new ScriptedCarrier(false, [
      { outcome: 'accepted', carrierIds: ['c-2'] },
      { outcome: 'throttled', retryAfterSeconds: 1 },
    ]);
    const counted: string[] = [];
    const sender = {
      messages: store.messageRepo,
      carrier,
      clock: fixedClock(NOW),
      ids: sequentialIds(),
      batchState: async () => state,
      batchProgress: async (_a: string, _b: string, outcome: string) => void counted.push(outcome),
    };
    expect(await submitMessage(sender, r2)).toBe('submitted');
    await expect(submitMessage(sender, r4)).rejects.toBeInstanceOf(CarrierThrottled);
    state = { status: 'paused', sendGeneration: 0 };
    expect(await submitMessage(sender, r4)).toBe('skipped');
    state = { status: 'running', sendGeneration: 1 };
    const queue = new RecordingQueue();
    const deps: PacedEnqueueDeps = {
      batches: {
        ...batches,
        addProgress: async () => {},
        markResent: async () => {},
      } as unknown as BatchRepository,
      accounts: store.accountRepo,
      messages: store.messageRepo,
      windows: { book: async (_account, nowMs) => nowMs },
      files: settleDeps.files,
      sendQueue: queue,
    };

    // Act
    await resendAfterResume(deps, { ...batch(), sendGeneration: 1, enqueuedThrough: 0 }, new Date(NOW));
    const resent = queue.jobs.find((job) => job.messageId === r4.messageId);
    const outcome = resent && (await submitMessage(sender, resent));

    // Assert
    expect(queue.jobs.map((job) => job.messageId)).toEqual(['b1R3', 'b1R4']);
    expect(resent?.message?.generation).toBe(1);
    expect(outcome).toBe('submitted');
    expect(counted).toEqual(['sent', 'superseded', 'sent']);
    expect(carrier.submissions.map((s) => s.reference)).toEqual(['acc1.b1R2', 'acc1.b1R4', 'acc1.b1R4']);
    expect(store.messages.get('acc1/b1R4')).toMatchObject({ status: 'submitted' });
  });
});
