import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, shortCode, stack } from '../support/api';

/**
 * A reply (MO) that matches no account — no dedicated number, nobody sent to the replier from that
 * number — is kept for the operator (`GET /v1/admin/inbound/unmatched`), never shown to an account.
 */
interface Unmatched {
  id: string;
  from: string;
  to: string;
  text: string;
  receivedAt: string;
  carrier: string;
}

async function unmatched(key: string) {
  return call<{ items: Unmatched[]; cursor?: string }>('GET', '/v1/admin/inbound/unmatched?limit=1000', {
    key,
  });
}

describe('replies that match no account', () => {
  it('are listed for the operator, newest first, and only for the operator', async () => {
    // Arrange: a short code nobody sent from, and a replier.
    const code = shortCode();
    const number = mobile('31');
    const text = `Cine sunteti? ${Math.random().toString(36).slice(2, 8)}`;
    const account = await newAccount('1.0000', { senderIds: [code] });

    // Act
    const sent = await fetch(`${stack().carrierUrl}/_sim/mo`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ from: number.replace('+', ''), to: code, text }),
    });

    // Assert
    expect(sent.status).toBe(202);
    const page = await eventually(
      () => unmatched(stack().operatorKey),
      (r) => r.body.items.some((m) => m.from === number && m.text === text),
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(page.status).toBe(200);
    expect(page.body.items.find((m) => m.from === number && m.text === text)).toMatchObject({
      to: code,
      carrier: expect.any(String),
      receivedAt: expect.any(String),
    });
    const times = page.body.items.map((m) => m.receivedAt);
    expect(times).toEqual([...times].sort().reverse());
    const forbidden = await unmatched(account.apiKey);
    expect([401, 403]).toContain(forbidden.status);
    const inbox = await call<{ items: unknown[] }>('GET', '/v1/inbound', { key: account.apiKey });
    expect(inbox.body.items).toEqual([]);
  });
});
