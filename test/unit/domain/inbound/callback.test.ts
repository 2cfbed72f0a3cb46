import { describe, expect, it } from 'vitest';
import { isCallbackUrl } from '#domain/callbacks/callback';
import { statusCallbackJob } from '#use-cases/callbacks/status-callbacks';
import { testMessage } from '../../../support/in-memory';

const message = testMessage({ status: 'delivered' });

describe('callback URLs', () => {
  it.each([
    ['https://hooks.example.com/sms?token=1', true],
    ['http://127.0.0.1:8080/cb', true],
    ['ftp://example.com/x', false],
    ['/relative', false],
    ['https://user:pw@example.com/', false],
    [`https://example.com/${'x'.repeat(2048)}`, false],
  ])('%s → %s', (url, ok) => {
    expect(isCallbackUrl(url)).toBe(ok);
  });
});

describe('status callback jobs', () => {
  it('costs nothing for a message without a callback URL', () => {
    expect(
      statusCallbackJob(message, { status: 'delivered', at: '2026-11-24T10:00:05.000Z' }),
    ).toBeUndefined();
  });

  it('carries URL, signed JSON body and a stable event id', () => {
    const job = statusCallbackJob(
      { ...message, callbackUrl: 'https://hooks.example.com/a', batchId: 'b1' },
      { status: 'undelivered', at: '2026-11-24T10:00:05.000Z', reason: 'carrier error 001' },
    );
    expect(job).toMatchObject({
      accountId: 'acc1',
      url: 'https://hooks.example.com/a',
      method: 'POST',
      sign: true,
      eventId: 'm1.undelivered',
      type: 'message.status',
    });
    expect(JSON.parse(job?.body ?? '{}')).toEqual({
      type: 'message.status',
      id: 'm1.undelivered',
      messageId: 'm1',
      status: 'undelivered',
      at: '2026-11-24T10:00:05.000Z',
      reason: 'carrier error 001',
      to: '+40722123456',
      from: 'Shop',
      parts: 1,
      cost: '0.0450',
      currency: 'EUR',
      batchId: 'b1',
    });
  });
});
