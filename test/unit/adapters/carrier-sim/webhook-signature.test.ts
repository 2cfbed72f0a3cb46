import { createHmac } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { signWebhook, verifyWebhook } from '#adapters/carrier-sim/webhook-signature';

const secret = 'whsec-test-0123456789';
const rawBody = '{"reference":"acc.msg","carrierId":"aB12","stat":"DELIVRD"}';
const now = 1_800_000_000;
const timestamp = String(now);

function verify(overrides: Partial<Parameters<typeof verifyWebhook>[0]> = {}): boolean {
  return verifyWebhook({
    secret,
    timestamp,
    signature: signWebhook(secret, timestamp, rawBody),
    rawBody,
    nowSeconds: now,
    ...overrides,
  });
}

describe('signWebhook', () => {
  it('is v1= and the hex HMAC-SHA256 of "timestamp.body"', () => {
    // Arrange
    const expected = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`).digest('hex');

    // Act
    const signature = signWebhook(secret, now, rawBody);

    // Assert
    expect(signature).toBe(`v1=${expected}`);
    expect(signWebhook(secret, timestamp, rawBody)).toBe(signature);
  });
});

describe('verifyWebhook', () => {
  it('accepts a valid signature, within the tolerance either way', () => {
    expect(verify()).toBe(true);
    expect(verify({ nowSeconds: now + 300 })).toBe(true);
    expect(verify({ nowSeconds: now - 300 })).toBe(true);
    expect(
      verify({ signature: signWebhook(secret, timestamp, rawBody).toUpperCase().replace('V1=', 'v1=') }),
    ).toBe(true);
  });

  it('rejects a tampered body', () => {
    expect(verify({ rawBody: rawBody.replace('DELIVRD', 'UNDELIV') })).toBe(false);
    expect(verify({ rawBody: `${rawBody} ` })).toBe(false);
  });

  it('rejects a signature made with another secret', () => {
    expect(verify({ signature: signWebhook('another-secret-value', timestamp, rawBody) })).toBe(false);
  });

  it('rejects a signature replayed with another timestamp', () => {
    expect(verify({ timestamp: String(now + 1), nowSeconds: now + 1 })).toBe(false);
  });

  it('rejects stale and future timestamps', () => {
    expect(verify({ nowSeconds: now + 301 })).toBe(false);
    expect(verify({ nowSeconds: now - 301 })).toBe(false);
    expect(verify({ nowSeconds: now + 60, toleranceSeconds: 30 })).toBe(false);
  });

  it.each([
    ['missing signature', { signature: undefined }],
    ['missing timestamp', { timestamp: undefined }],
    ['signature without scheme', { signature: signWebhook(secret, timestamp, rawBody).slice(3) }],
    ['unknown scheme', { signature: signWebhook(secret, timestamp, rawBody).replace('v1=', 'v2=') }],
    ['short signature', { signature: 'v1=abcdef' }],
    ['non-hex signature', { signature: `v1=${'z'.repeat(64)}` }],
    ['empty signature', { signature: '' }],
    ['non-numeric timestamp', { timestamp: 'yesterday' }],
    ['fractional timestamp', { timestamp: `${now}.5` }],
    ['negative timestamp', { timestamp: `-${now}` }],
  ])('rejects a malformed header: %s', (_name, overrides) => {
    expect(verify(overrides)).toBe(false);
  });
});
