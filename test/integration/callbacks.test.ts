import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import { call, eventually, mobile, newAccount } from '../support/api';
import { batchUntil, readyBatch } from '../support/batches';
import { type ReceivedCallback, startCallbackReceiver } from '../support/callback-receiver';

/**
 * Delivery callbacks end to end: every status change of a message is POSTed to its callback URL (the
 * send's own, or the account's when switched on), signed with the account's secret, and retried with
 * backoff until the receiver takes it.
 */

interface StatusBody {
  type: string;
  id: string;
  messageId: string;
  status: string;
  to: string;
  cost: string;
}

let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
/** Paths under `/flaky/` fail the first two attempts of each event, then take it. */
beforeAll(async () => {
  receiver = await startCallbackReceiver((request, received) => {
    if (!request.path.startsWith('/flaky/')) return 200;
    const id = request.headers['x-callback-id'];
    const earlier = received.filter((r) => r.path === request.path && r.headers['x-callback-id'] === id);
    return earlier.length < 2 ? 500 : 200;
  });
});
afterAll(() => receiver.close());

function hitsOn(path: string): ReceivedCallback[] {
  return receiver.received.filter((r) => r.path === path);
}

function signedWith(secret: string, hit: ReceivedCallback): boolean {
  return verifyWebhook({
    secret,
    timestamp: String(hit.headers['x-timestamp']),
    signature: String(hit.headers['x-signature']),
    rawBody: hit.body,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
}

async function secretOf(apiKey: string): Promise<string> {
  const settings = await call<{ secret: string }>('GET', '/v1/account/callbacks', { key: apiKey });
  expect(settings.status).toBe(200);
  return settings.body.secret;
}

describe('delivery callbacks', () => {
  it("a single send's callbackUrl gets every status change (queued, submitted, delivered), signed", async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const path = `/single/${account.id}`;

    // Act
    const sent = await call<{ id: string }>('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile('11'), text: 'Comanda a plecat', callbackUrl: `${receiver.url}${path}` },
    });
    expect(sent.status).toBe(202);

    // Assert
    const hits = await eventually(
      async () => hitsOn(path),
      (list) => list.some((h) => (JSON.parse(h.body) as StatusBody).status === 'delivered'),
    );
    const bodies = hits.map((h) => JSON.parse(h.body) as StatusBody);
    expect(bodies.map((b) => b.status).sort()).toEqual(['delivered', 'queued', 'submitted']);
    for (const body of bodies) {
      expect(body).toMatchObject({ type: 'message.status', messageId: sent.body.id, cost: '0.0450' });
    }
    const secret = await secretOf(account.apiKey);
    for (const hit of hits) {
      expect(hit.method).toBe('POST');
      expect(hit.headers['content-type']).toBe('application/json');
      expect(hit.headers['x-callback-id']).toBe((JSON.parse(hit.body) as StatusBody).id);
      expect(signedWith(secret, hit)).toBe(true);
    }
  });

  it('reports a failure outcome too (undelivered), and the account URL applies when deliveryReports is on', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const path = `/account/${account.id}`;
    const settings = await call('PUT', '/v1/account/callbacks', {
      key: account.apiKey,
      body: { url: `${receiver.url}${path}`, deliveryReports: true },
    });
    expect(settings.body).toMatchObject({ deliveryReports: true, replies: true });

    // Act: no callbackUrl on the send itself
    await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile('00'), text: 'Nu ajunge' },
    });

    // Assert
    const hits = await eventually(
      async () => hitsOn(path),
      (list) => list.some((h) => (JSON.parse(h.body) as StatusBody).status === 'undelivered'),
    );
    const secret = await secretOf(account.apiKey);
    expect(hits.every((h) => signedWith(secret, h))).toBe(true);
  });

  it('sends nothing when the account has a URL but delivery reports switched off', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const quiet = `/quiet/${account.id}`;
    const loud = `/loud/${account.id}`;
    await call('PUT', '/v1/account/callbacks', {
      key: account.apiKey,
      body: { url: `${receiver.url}${quiet}`, deliveryReports: false },
    });

    // Act: one send without a URL (nothing), then one with its own URL (as a barrier)
    const first = await call<{ id: string }>('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile('12'), text: 'a' },
    });
    await eventually(
      () => call<{ status: string }>('GET', `/v1/messages/${first.body.id}`, { key: account.apiKey }),
      (r) => r.body.status === 'delivered',
    );
    await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile('13'), text: 'b', callbackUrl: `${receiver.url}${loud}` },
    });
    await eventually(
      async () => hitsOn(loud),
      (list) => list.some((h) => (JSON.parse(h.body) as StatusBody).status === 'delivered'),
    );

    // Assert
    expect(hitsOn(quiet)).toEqual([]);
  });

  it('retries with backoff: a receiver failing twice still gets every status, same event id each time', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const path = `/flaky/${account.id}`;

    // Act
    await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile('14'), text: 'Retry', callbackUrl: `${receiver.url}${path}` },
    });

    // Assert: each status taken on its third attempt
    const hits = await eventually(
      async () => hitsOn(path),
      (list) => list.filter((h) => h.status === 200).length === 3,
      { timeoutMs: 30_000 },
    );
    const byEvent = new Map<string, number[]>();
    for (const hit of hits) {
      const id = String(hit.headers['x-callback-id']);
      byEvent.set(id, [...(byEvent.get(id) ?? []), hit.status]);
    }
    expect([...byEvent.values()]).toEqual([
      [500, 500, 200],
      [500, 500, 200],
      [500, 500, 200],
    ]);
  });

  it('refuses a callbackUrl that is not an absolute http(s) URL, or carries credentials', async () => {
    const account = await newAccount('1.0000');
    for (const url of ['ftp://example.com/x', 'not a url', 'https://user:pw@example.com/cb']) {
      const sent = await call('POST', '/v1/messages', {
        key: account.apiKey,
        body: { to: mobile('15'), text: 'x', callbackUrl: url },
      });
      expect(sent.status).toBe(400);
      const settings = await call('PUT', '/v1/account/callbacks', { key: account.apiKey, body: { url } });
      expect(settings.status).toBe(400);
    }
  });

  it('keeps callback settings per account, and rotates the secret on request', async () => {
    // Arrange
    const a = await newAccount('1.0000');
    const b = await newAccount('1.0000');
    const first = await call<{ secret: string }>('PUT', '/v1/account/callbacks', {
      key: a.apiKey,
      body: { url: 'https://hooks.example.com/a' },
    });

    // Act
    const ofB = await call<{ url?: string; secret: string }>('GET', '/v1/account/callbacks', {
      key: b.apiKey,
    });
    const rotated = await call<{ secret: string }>('PUT', '/v1/account/callbacks', {
      key: a.apiKey,
      body: { rotateSecret: true },
    });
    const removed = await call<{ url?: string }>('PUT', '/v1/account/callbacks', {
      key: a.apiKey,
      body: { url: null },
    });

    // Assert
    expect(ofB.body.url).toBeUndefined();
    expect(ofB.body.secret).not.toBe(first.body.secret);
    expect(rotated.body.secret).not.toBe(first.body.secret);
    expect(removed.body.url).toBeUndefined();
    for (const route of ['/v1/account/callbacks', '/v1/account/opt-out', '/v1/inbound']) {
      expect((await call('GET', route)).status).toBe(401);
    }
  });

  it("a batch's messages report their statuses to the account URL when deliveryReports is on", async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const path = `/batch/${account.id}`;
    await call('PUT', '/v1/account/callbacks', {
      key: account.apiKey,
      body: { url: `${receiver.url}${path}`, deliveryReports: true },
    });
    const [ok, bad] = [mobile('16'), mobile('00')];
    const batch = await readyBatch(account.apiKey, `phone\n${ok}\n${bad}\n`, { text: 'Campanie' });
    expect(batch.status).toBe('ready');

    // Act
    const started = await call('POST', `/v1/batches/${batch.id}/start`, { key: account.apiKey });
    expect(started.status).toBe(200);
    await batchUntil(account.apiKey, batch.id, (b) => b.status === 'completed');

    // Assert: submitted and the final status of each message, signed
    const hits = await eventually(
      async () => hitsOn(path),
      (list) => list.length >= 4,
    );
    const seen = hits.map((h) => JSON.parse(h.body) as StatusBody & { batchId?: string });
    expect(seen.map((b) => `${b.to} ${b.status}`).sort()).toEqual(
      [`${bad} submitted`, `${bad} undelivered`, `${ok} delivered`, `${ok} submitted`].sort(),
    );
    expect(seen.every((b) => b.batchId === batch.id)).toBe(true);
    const secret = await secretOf(account.apiKey);
    expect(hits.every((h) => signedWith(secret, h))).toBe(true);
  });
});
