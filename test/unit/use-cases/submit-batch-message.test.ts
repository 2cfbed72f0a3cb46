import { beforeEach, describe, expect, it } from 'vitest';
import { batchMessageItem } from '#adapters/dynamodb/message-item';
import type { BatchJobMessage, SendJob } from '#ports/queues';
import { applyDeliveryReport } from '#use-cases/apply-delivery-report';
import { submittedMessage } from '#use-cases/batches/batch-messages';
import { CarrierThrottled, submitMessage } from '#use-cases/submit-message';
import {
  fixedClock,
  InMemoryStore,
  ScriptedCarrier,
  sequentialIds,
  testAccount,
} from '../../support/in-memory';

const carried: BatchJobMessage = {
  batchId: 'b1',
  to: '+40722123456',
  from: 'Shop',
  text: 'Hello',
  encoding: 'GSM-7',
  parts: 1,
  cost: 450,
  fundedBy: 'acc1',
  queuedAt: '2026-11-24T09:59:00.000Z',
};
const job: SendJob = { accountId: 'acc1', messageId: 'b1R2', message: carried };

describe('a batch message is created when submitted, and its money stays with the batch', () => {
  let store: InMemoryStore;
  let counted: string[];
  let batchStatus: string;
  let generation: number;

  beforeEach(() => {
    store = new InMemoryStore();
    store.accounts.set('acc1', testAccount({ reserved: 450 }));
    counted = [];
    batchStatus = 'running';
    generation = 0;
  });
  const deps = (carrier: ScriptedCarrier) => ({
    messages: store.messageRepo,
    carrier,
    clock: fixedClock('2026-11-24T10:00:00.000Z'),
    ids: sequentialIds(),
    batchState: async () => ({ status: batchStatus, sendGeneration: generation }),
    batchProgress: async (_a: string, _b: string, outcome: string) => void counted.push(outcome),
  });

  it('claims with one item written as submitted, sends once, counts it sent, moves no money', async () => {
    // Arrange
    const carrier = new ScriptedCarrier(true);

    // Act
    const outcome = await submitMessage(deps(carrier), job);

    // Assert
    expect(outcome).toBe('submitted');
    expect(carrier.submissions).toHaveLength(1);
    expect(carrier.submissions[0]).toMatchObject({ reference: 'acc1.b1R2', to: carried.to, text: 'Hello' });
    expect(store.messages.get('acc1/b1R2')).toMatchObject({ status: 'submitted', batchId: 'b1', cost: 450 });
    expect(counted).toEqual(['sent']);
    expect(store.ledger).toEqual([]);
    expect(store.accounts.get('acc1')).toMatchObject({ reserved: 450, spent: 0 });
  });

  it('a redelivered job re-submits only to a carrier that recognises the reference, never sends twice', async () => {
    const idempotent = new ScriptedCarrier(true);
    await submitMessage(deps(idempotent), job);
    await submitMessage(deps(idempotent), job);
    // the carrier replays the first answer for a known reference: one SMS
    expect(idempotent.submissions.map((s) => s.reference)).toEqual(['acc1.b1R2', 'acc1.b1R2']);
    expect(counted).toEqual(['sent']);

    store.messages.clear();
    const plain = new ScriptedCarrier(false);
    await submitMessage(deps(plain), job);
    expect(await submitMessage(deps(plain), job)).toBe('unconfirmed');
    expect(plain.submissions).toHaveLength(1);
  });

  it('a final message is never submitted again', async () => {
    const carrier = new ScriptedCarrier(true);
    await submitMessage(deps(carrier), job);
    await applyDeliveryReport(
      { messages: store.messageRepo, ids: sequentialIds(), clock: fixedClock() },
      {
        reference: 'acc1.b1R2',
        carrierId: 'c-1',
        part: 0,
        parts: 1,
        state: 'DELIVRD',
        at: '2026-11-24T10:00:05.000Z',
      },
    );
    expect(await submitMessage(deps(carrier), job)).toBe('skipped');
    expect(carrier.submissions).toHaveLength(1);
    expect(store.messages.get('acc1/b1R2')).toMatchObject({ status: 'delivered', carrierIds: ['c-1'] });
    expect(store.ledger).toEqual([]);
  });

  it('a stopped batch sends nothing and writes nothing: no item = never sent (refunded by settlement)', async () => {
    batchStatus = 'stopped';
    const carrier = new ScriptedCarrier(true);
    expect(await submitMessage(deps(carrier), job)).toBe('skipped');
    expect(carrier.submissions).toHaveLength(0);
    expect(store.messages.has('acc1/b1R2')).toBe(false);
    expect(counted).toEqual(['cancelled']);
  });

  it('a paused batch, or a job from before a resume, sends nothing and is counted superseded', async () => {
    const carrier = new ScriptedCarrier(true);
    batchStatus = 'paused';
    expect(await submitMessage(deps(carrier), job)).toBe('skipped');
    batchStatus = 'running';
    generation = 1;
    expect(await submitMessage(deps(carrier), job)).toBe('skipped');
    expect(carrier.submissions).toHaveLength(0);
    expect(store.messages.has('acc1/b1R2')).toBe(false);
    expect(counted).toEqual(['superseded', 'superseded']);
    // The job enqueued again after the resume carries the new generation: it goes.
    expect(await submitMessage(deps(carrier), { ...job, message: { ...carried, generation: 1 } })).toBe(
      'submitted',
    );
    expect(carrier.submissions).toHaveLength(1);
  });

  it('a redelivered job already submitted is not counted again when the batch is since paused or stopped', async () => {
    // Arrange: the job went out (counted sent); its pack comes back after another job of it failed
    const carrier = new ScriptedCarrier(true);
    expect(await submitMessage(deps(carrier), job)).toBe('submitted');

    // Act
    batchStatus = 'paused';
    const whilePaused = await submitMessage(deps(carrier), job);
    batchStatus = 'stopped';
    const whenStopped = await submitMessage(deps(carrier), job);

    // Assert: one job, one count (an extra `superseded`/`cancelled` would end the batch early)
    expect([whilePaused, whenStopped]).toEqual(['skipped', 'skipped']);
    expect(counted).toEqual(['sent']);
    expect(carrier.submissions).toHaveLength(1);
  });

  it('throttled: the claim is given back (queued) and the job retried; rejected: recorded, counted failed, no money', async () => {
    const throttled = new ScriptedCarrier(true, [{ outcome: 'throttled', retryAfterSeconds: 2 }]);
    await expect(submitMessage(deps(throttled), job)).rejects.toBeInstanceOf(CarrierThrottled);
    expect(store.messages.get('acc1/b1R2')).toMatchObject({
      status: 'queued',
      events: [{ status: 'queued', at: carried.queuedAt }],
    });
    expect(await submitMessage(deps(throttled), job)).toBe('submitted');
    expect(store.messages.get('acc1/b1R2')).toMatchObject({ status: 'submitted' });
    expect(counted).toEqual(['sent']);

    store.messages.clear();
    counted = [];
    const rejecting = new ScriptedCarrier(true, [{ outcome: 'rejected', reason: 'REJECTD' }]);
    expect(await submitMessage(deps(rejecting), job)).toBe('rejected');
    expect(store.messages.get('acc1/b1R2')).toMatchObject({ status: 'rejected', reason: 'REJECTD' });
    expect(counted).toEqual(['failed']);
    expect(store.ledger).toEqual([]);
  });

  it('a claim given back waits while paused, but is still sent once its batch stopped or failed', async () => {
    // Arrange: the carrier throttles the first attempt; the batch is paused before the retry.
    const carrier = new ScriptedCarrier(false, [{ outcome: 'throttled', retryAfterSeconds: 2 }]);
    await expect(submitMessage(deps(carrier), job)).rejects.toBeInstanceOf(CarrierThrottled);
    batchStatus = 'paused';

    // Act
    const whilePaused = await submitMessage(deps(carrier), job);
    batchStatus = 'failed';
    const whenFailed = await submitMessage(deps(carrier), job);
    const redelivered = await submitMessage(deps(carrier), job);

    // Assert: a failed batch's settlement may have charged the claim before it was given back
    expect([whilePaused, whenFailed, redelivered]).toEqual(['skipped', 'submitted', 'skipped']);
    expect(counted).toEqual(['superseded', 'sent']);
    // Two carrier calls: the throttled one (not taken) and the one accepted.
    expect(carrier.submissions.map((s) => s.reference)).toEqual(['acc1.b1R2', 'acc1.b1R2']);
    expect(store.messages.get('acc1/b1R2')).toMatchObject({ status: 'submitted' });
  });

  it('a one-part batch message item stays under 1 KB (one write unit per write)', () => {
    const message = submittedMessage(
      '01JDXAMPLEACCOUNTID0000000',
      '01JDXAMPLEBATCHID000000000R999999',
      {
        ...carried,
        text: 'x'.repeat(160),
      },
      '2026-11-24T10:00:00.000Z',
    );
    const item = batchMessageItem(message);
    expect(Buffer.byteLength(JSON.stringify(item))).toBeLessThan(1024);
    expect(item).not.toHaveProperty('gsi1pk');
  });
});
