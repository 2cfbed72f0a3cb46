import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages } from '../support/api';

interface MessageBody {
  id: string;
  status: string;
  to: string;
  parts: number;
  cost: string;
  encoding: string;
  events: { status: string; at: string }[];
}

async function send(key: string, body: Record<string, unknown>, headers: Record<string, string> = {}) {
  return call<MessageBody>('POST', '/v1/messages', { key, body, headers });
}

async function finalStatus(key: string, id: string, expected: string) {
  return eventually(
    () => call<MessageBody>('GET', `/v1/messages/${id}`, { key }),
    (r) => r.body.status === expected,
  );
}

describe('one SMS from the HTTPS API to the carrier and back', () => {
  it('goes accepted → queued → submitted → delivered and reaches the carrier once', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const to = mobile('11');

    // Act
    const accepted = await send(account.apiKey, { to, text: 'Salut! Comanda ta a fost expediata.' });

    // Assert
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ to, encoding: 'GSM-7', parts: 1, cost: '0.0450' });
    const done = await finalStatus(account.apiKey, accepted.body.id, 'delivered');
    expect(done.body.events.map((e) => e.status)).toEqual(['accepted', 'queued', 'submitted', 'delivered']);
    const atCarrier = (await simMessages()).filter((m) => m.to === to);
    expect(atCarrier).toHaveLength(1);
    expect(atCarrier[0]).toMatchObject({
      text: 'Salut! Comanda ta a fost expediata.',
      parts: 1,
      encoding: 'GSM-7',
    });
    const balance = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    expect(balance.body.balance).toBe('0.9550');
  });

  it.each([
    ['00', 'undelivered', '0.9550'],
    ['98', 'expired', '0.9550'],
    ['99', 'rejected', '1.0000'],
  ])('a number ending in %s ends %s (balance %s afterwards)', async (suffix, status, balance) => {
    const account = await newAccount('1.0000');
    const accepted = await send(account.apiKey, { to: mobile(suffix), text: 'Test' });
    expect(accepted.status).toBe(202);
    await finalStatus(account.apiKey, accepted.body.id, status);
    const after = await eventually(
      () => call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey }),
      (r) => r.body.balance === balance,
    );
    expect(after.body.balance).toBe(balance);
  });

  it('bills a multipart UCS-2 message per part and settles it once every part is delivered', async () => {
    const account = await newAccount('1.0000');
    const text = 'ă'.repeat(71); // 71 UCS-2 units > 70 → 2 parts of ≤ 67
    const accepted = await send(account.apiKey, { to: mobile('12'), text });
    expect(accepted.body).toMatchObject({ encoding: 'UCS-2', parts: 2, cost: '0.0900' });
    const done = await finalStatus(account.apiKey, accepted.body.id, 'delivered');
    expect(done.body.events.at(-1)?.status).toBe('delivered');
  });

  it('answers a retry with the same Idempotency-Key with the first answer and sends nothing more', async () => {
    const account = await newAccount('1.0000');
    const to = mobile('13');
    const headers = { 'idempotency-key': `order-${to}` };
    const first = await send(account.apiKey, { to, text: 'Once only' }, headers);
    const second = await send(account.apiKey, { to, text: 'Once only' }, headers);
    expect(second.status).toBe(202);
    expect(second.body.id).toBe(first.body.id);
    await finalStatus(account.apiKey, first.body.id, 'delivered');
    expect((await simMessages()).filter((m) => m.to === to)).toHaveLength(1);
    const conflict = await send(account.apiKey, { to, text: 'Another text' }, headers);
    expect(conflict.status).toBe(409);
    expect(conflict.body).toMatchObject({ error: { code: 'IDEMPOTENCY_CONFLICT' } });
  });
});

describe('refusals that change nothing', () => {
  it('402 INSUFFICIENT_CREDIT when the balance cannot cover the cost', async () => {
    const account = await newAccount('0.0400');
    const to = mobile('14');
    const refused = await send(account.apiKey, { to, text: 'Too expensive' });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ error: { code: 'INSUFFICIENT_CREDIT' } });
    const after = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    expect(after.body.balance).toBe('0.0400');
  });

  it('422 INVALID_NUMBER with the reason, nothing charged', async () => {
    const account = await newAccount('1.0000');
    const refused = await send(account.apiKey, { to: '12345', text: 'Hi' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({
      error: { code: 'INVALID_NUMBER', details: { reason: expect.any(String) } },
    });
    const after = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    expect(after.body.balance).toBe('1.0000');
  });

  it.each([
    ['malformed JSON', '{"to": "+40722', 'INVALID_JSON'],
    ['missing text', JSON.stringify({ to: '+40722123456' }), 'VALIDATION_FAILED'],
    ['missing to', JSON.stringify({ text: 'x' }), 'VALIDATION_FAILED'],
    ['wrong type', JSON.stringify({ to: '+40722123456', text: 42 }), 'VALIDATION_FAILED'],
  ])('400 for %s with a stable code', async (_, rawBody, code) => {
    const account = await newAccount('0');
    const refused = await call('POST', '/v1/messages', { key: account.apiKey, rawBody });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ error: { code } });
  });

  it.each([
    ['no key', undefined],
    ['a malformed key', 'not-a-key'],
    ['an unknown key', 'sk_AAAAAAAAAAAAAAAA_BBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBBB'],
  ])('401 UNAUTHORIZED with %s', async (_, key) => {
    const refused = await call('POST', '/v1/messages', {
      ...(key ? { key } : {}),
      body: { to: mobile(), text: 'x' },
    });
    expect(refused.status).toBe(401);
    expect(refused.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
  });

  it("404 for another account's message, never the message", async () => {
    const owner = await newAccount('1.0000');
    const other = await newAccount('0');
    const sent = await send(owner.apiKey, { to: mobile('15'), text: 'Private' });
    const peek = await call('GET', `/v1/messages/${sent.body.id}`, { key: other.apiKey });
    expect(peek.status).toBe(404);
    expect(peek.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it('operator routes refuse customer keys', async () => {
    const account = await newAccount('0');
    const refused = await call('POST', '/v1/admin/accounts', { key: account.apiKey, body: { name: 'x' } });
    expect(refused.status).toBe(401);
  });
});

describe('scheduled single sends', () => {
  it('a message with scheduleAt waits as scheduled, then goes out at its time', async () => {
    const account = await newAccount('1.0000');
    const to = mobile('16');
    const at = Date.now() + 2_500;
    const accepted = await send(account.apiKey, {
      to,
      text: 'Later',
      scheduleAt: new Date(at).toISOString(),
    });
    expect(accepted.status).toBe(202);
    expect(accepted.body.status).toBe('scheduled');
    expect((await simMessages()).filter((m) => m.to === to)).toHaveLength(0);
    const done = await finalStatus(account.apiKey, accepted.body.id, 'delivered');
    const [atCarrier] = (await simMessages()).filter((m) => m.to === to);
    expect(Date.parse(atCarrier?.receivedAt ?? '')).toBeGreaterThanOrEqual(at - 50);
    expect(done.body.events.map((e) => e.status)).toEqual([
      'accepted',
      'scheduled',
      'submitted',
      'delivered',
    ]);
  });
});
