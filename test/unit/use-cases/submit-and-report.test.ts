import { beforeEach, describe, expect, it } from 'vitest';
import type { Message } from '#domain/message/message';
import type { DeliveryReport } from '#ports/carrier-gateway';
import { applyDeliveryReport } from '#use-cases/apply-delivery-report';
import { CarrierThrottled, submitMessage } from '#use-cases/submit-message';
import {
  fixedClock,
  InMemoryStore,
  ScriptedCarrier,
  sequentialIds,
  testAccount,
  testMessage,
} from '../../support/in-memory';

const base = testMessage({
  events: [
    { status: 'accepted', at: '2026-11-24T10:00:00.000Z' },
    { status: 'queued', at: '2026-11-24T10:00:00.000Z' },
  ],
});

function report(state: DeliveryReport['state'], extra: Partial<DeliveryReport> = {}): DeliveryReport {
  return {
    reference: 'acc1.m1',
    carrierId: 'c-1',
    part: 0,
    parts: 1,
    state,
    at: '2026-11-24T10:00:05.000Z',
    ...extra,
  };
}

describe('submitMessage and applyDeliveryReport', () => {
  let store: InMemoryStore;
  const job = { accountId: 'acc1', messageId: 'm1' };

  beforeEach(() => {
    store = new InMemoryStore();
    store.accounts.set('acc1', testAccount({ reserved: 450 }));
  });

  const put = (message: Partial<Message> = {}) =>
    store.messages.set('acc1/m1', { ...base, ...message, partStates: {} });
  const deps = (carrier: ScriptedCarrier) => ({
    messages: store.messageRepo,
    carrier,
    clock: fixedClock(),
    ids: sequentialIds(),
  });
  const status = () => store.messages.get('acc1/m1')?.status;

  it('submits once and records the carrier ids', async () => {
    put();
    const carrier = new ScriptedCarrier(true);
    expect(await submitMessage(deps(carrier), job)).toBe('submitted');
    expect(await submitMessage(deps(carrier), job)).toBe('skipped');
    expect(carrier.submissions).toHaveLength(1);
    expect(carrier.submissions[0]?.reference).toBe('acc1.m1');
    expect(store.messages.get('acc1/m1')).toMatchObject({ status: 'submitted', carrierIds: ['c-1'] });
  });

  it('re-submits an uncertain attempt only to a carrier that recognises the reference', async () => {
    put();
    const lost = new ScriptedCarrier(true, [new Error('socket hang up')]);
    await expect(submitMessage(deps(lost), job)).rejects.toThrow('socket hang up');
    expect(await submitMessage(deps(lost), job)).toBe('submitted');
    expect(lost.submissions.map((s) => s.reference)).toEqual(['acc1.m1', 'acc1.m1']);
  });

  it('never re-submits an uncertain attempt to a carrier without idempotent references', async () => {
    put();
    const lost = new ScriptedCarrier(false, [new Error('timeout')]);
    await expect(submitMessage(deps(lost), job)).rejects.toThrow('timeout');
    expect(await submitMessage(deps(lost), job)).toBe('unconfirmed');
    expect(lost.submissions).toHaveLength(1);
    expect(store.messages.get('acc1/m1')).toMatchObject({
      status: 'submitted',
      reason: 'SUBMISSION_UNCONFIRMED',
    });
  });

  it('refunds a message rejected at submission, once', async () => {
    put();
    const carrier = new ScriptedCarrier(true, [{ outcome: 'rejected', reason: 'REJECTD' }]);
    expect(await submitMessage(deps(carrier), job)).toBe('rejected');
    expect(await submitMessage(deps(carrier), job)).toBe('skipped');
    expect(store.accounts.get('acc1')).toMatchObject({ balance: 450, reserved: 0, spent: 0 });
    expect(store.ledger.filter((e) => e.kind === 'refund')).toHaveLength(1);
  });

  it('releases the claim when throttled so the retry submits normally', async () => {
    put();
    const carrier = new ScriptedCarrier(false, [{ outcome: 'throttled', retryAfterSeconds: 2 }]);
    await expect(submitMessage(deps(carrier), job)).rejects.toBeInstanceOf(CarrierThrottled);
    expect(await submitMessage(deps(carrier), job)).toBe('submitted');
    expect(carrier.submissions).toHaveLength(2);
  });

  it('a DLR that overtakes the submit answer is not undone by it', async () => {
    put();
    const d = { messages: store.messageRepo, ids: sequentialIds(), clock: fixedClock() };
    expect(await applyDeliveryReport(d, report('DELIVRD'))).toBe('applied');
    expect(status()).toBe('delivered');
    // The late submit answer of the same attempt still stores the carrier ids, not the status.
    await store.messageRepo.recordCarrierIds('acc1', 'm1', ['c-1']);
    expect(await store.messageRepo.advance('acc1', 'm1', { status: 'submitted', at: 'x' })).toBeUndefined();
    expect(status()).toBe('delivered');
  });

  it('ignores duplicates and late intermediate states', async () => {
    put({ status: 'submitted' });
    const d = { messages: store.messageRepo, ids: sequentialIds(), clock: fixedClock() };
    expect(await applyDeliveryReport(d, report('DELIVRD'))).toBe('applied');
    expect(await applyDeliveryReport(d, report('DELIVRD'))).toBe('ignored');
    expect(await applyDeliveryReport(d, report('ENROUTE'))).toBe('ignored');
    expect(await applyDeliveryReport(d, report('UNDELIV'))).toBe('ignored');
    expect(store.messages.get('acc1/m1')?.events.map((e) => e.status)).toEqual([
      'accepted',
      'queued',
      'delivered',
    ]);
  });

  it('settles a multipart message with its worst part once every part reported', async () => {
    put({ status: 'submitted', parts: 2 });
    const d = { messages: store.messageRepo, ids: sequentialIds(), clock: fixedClock() };
    expect(await applyDeliveryReport(d, report('DELIVRD', { part: 0, parts: 2 }))).toBe('waiting-for-parts');
    expect(status()).toBe('submitted');
    expect(await applyDeliveryReport(d, report('UNDELIV', { part: 1, parts: 2, carrierId: 'c-2' }))).toBe(
      'applied',
    );
    expect(status()).toBe('undelivered');
  });

  it('refunds a network rejection once, and never refunds a delivered message', async () => {
    put({ status: 'submitted' });
    const d = { messages: store.messageRepo, ids: sequentialIds(), clock: fixedClock() };
    await applyDeliveryReport(d, report('REJECTD'));
    await applyDeliveryReport(d, report('REJECTD'));
    expect(store.accounts.get('acc1')?.balance).toBe(450);
    expect(await applyDeliveryReport(d, report('DELIVRD', { reference: 'acc1.unknown' }))).toBe(
      'unknown-message',
    );
    expect(await applyDeliveryReport(d, report('DELIVRD', { reference: 'garbage' }))).toBe('unknown-message');
  });

  it.each([
    ['far in the past', 'DELIVRD', '2001-01-01T00:00:00.000Z', 'settle'],
    ['far in the future', 'REJECTD', '2099-12-31T23:59:59.000Z', 'refund'],
  ] as const)(
    'dates the ledger entry by our clock when the carrier clock is %s',
    async (_, state, carrierAt, kind) => {
      // Arrange
      put({ status: 'submitted' });
      const ours = '2026-11-24T10:00:07.000Z';
      const d = { messages: store.messageRepo, ids: sequentialIds(), clock: fixedClock(ours) };
      // Act
      expect(await applyDeliveryReport(d, report(state, { at: carrierAt }))).toBe('applied');
      // Assert: the ledger (and so its LEDGER#<at># sort key) takes our time; the event keeps the carrier's.
      expect(store.ledger.filter((e) => e.ref === 'm1')).toEqual([
        expect.objectContaining({ kind, at: ours }),
      ]);
      expect(store.messages.get('acc1/m1')?.events.at(-1)?.at).toBe(carrierAt);
    },
  );
});
