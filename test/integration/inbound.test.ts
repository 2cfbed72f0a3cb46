import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import { call, eventually, mobile, newAccount, shortCode, stack } from '../support/api';
import { batchUntil, readyBatch } from '../support/batches';
import { startCallbackReceiver } from '../support/callback-receiver';

/**
 * Replies (MO) end to end: the carrier simulator delivers an inbound SMS to the signed MO webhook; the
 * platform routes it to the account that last sent to that number from that sender (or the number's
 * dedicated account), stores it, applies opt-outs and forwards it to the account's callback URL.
 */

interface Reply {
  id: string;
  from: string;
  to: string;
  text: string;
  optOut: boolean;
  routedBy: string;
  inReplyTo?: string;
}

async function sendFrom(apiKey: string, from: string, to: string) {
  const sent = await call<{ id: string }>('POST', '/v1/messages', {
    key: apiKey,
    body: { to, from, text: 'Confirmati?' },
  });
  expect(sent.status).toBe(202);
  // The reply route is recorded when the carrier takes the message.
  await eventually(
    () => call<{ status: string }>('GET', `/v1/messages/${sent.body.id}`, { key: apiKey }),
    (r) => r.body.status !== 'queued' && r.body.status !== 'accepted',
  );
  return sent.body.id;
}

async function mo(from: string, to: string, text: string) {
  const response = await fetch(`${stack().carrierUrl}/_sim/mo`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ from, to, text }),
  });
  expect(response.status).toBe(202);
}

async function replies(apiKey: string, query = ''): Promise<Reply[]> {
  const page = await call<{ items: Reply[] }>('GET', `/v1/inbound${query}`, { key: apiKey });
  expect(page.status).toBe(200);
  return page.body.items;
}

describe('replies (MO)', () => {
  it('a reply shows in GET /v1/inbound of the account that last sent to that number from that sender', async () => {
    // Arrange: two accounts share a short code; B sends to the number after A
    const code = shortCode();
    const a = await newAccount('1.0000', { senderIds: ['Shop', code] });
    const b = await newAccount('1.0000', { senderIds: ['Shop', code] });
    const number = mobile('21');
    await sendFrom(a.apiKey, code, number);
    const lastId = await sendFrom(b.apiKey, code, number);

    // Act
    await mo(number.replace('+', ''), code, 'Da, confirm');

    // Assert: B has it (linked to B's message), A does not
    const [reply] = await eventually(
      () => replies(b.apiKey),
      (items) => items.length > 0,
    );
    expect(reply).toMatchObject({
      from: number,
      to: code,
      text: 'Da, confirm',
      optOut: false,
      routedBy: 'last-sent',
      inReplyTo: lastId,
    });
    expect(await replies(a.apiKey)).toEqual([]);
    // Filters: by the replier's number, and by period
    expect(await replies(b.apiKey, `?number=${encodeURIComponent(number)}`)).toHaveLength(1);
    expect(await replies(b.apiKey, `?number=${encodeURIComponent(mobile('22'))}`)).toEqual([]);
    expect(await replies(b.apiKey, '?to=2020-01-01T00:00:00Z')).toEqual([]);
    expect(await replies(b.apiKey, '?from=2020-01-01T00:00:00Z')).toHaveLength(1);
  });

  it('a reply to a batch message sent from a numeric sender reaches the batch account', async () => {
    // Arrange
    const code = shortCode();
    const account = await newAccount('1.0000', { senderIds: [code] });
    const number = mobile('81');
    const batch = await readyBatch(account.apiKey, `phone\n${number}\n`, { text: 'Promo', from: code });
    await call('POST', `/v1/batches/${batch.id}/start`, { key: account.apiKey });
    await batchUntil(account.apiKey, batch.id, (b) => b.status === 'completed');

    // Act
    await mo(number, code, 'Vreau detalii');

    // Assert
    const [reply] = await eventually(
      () => replies(account.apiKey),
      (items) => items.length > 0,
    );
    expect(reply).toMatchObject({ from: number, text: 'Vreau detalii', routedBy: 'last-sent' });
    expect(reply?.inReplyTo).toMatch(new RegExp(`^${batch.id}`));
  });

  it('a STOP reply blocklists the number for that account: a new send to it answers 422 BLOCKLISTED', async () => {
    // Arrange
    const code = shortCode();
    const account = await newAccount('1.0000', { senderIds: [code] });
    const number = mobile('31');
    await sendFrom(account.apiKey, code, number);

    // Act
    await mo(number, code, ' Stop. ');

    // Assert
    const [reply] = await eventually(
      () => replies(account.apiKey),
      (items) => items.length > 0,
    );
    expect(reply).toMatchObject({ from: number, optOut: true });
    const before = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    const refused = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: number, text: 'Oferta noua', from: code },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'BLOCKLISTED' } });
    const after = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    expect(after.body.balance).toBe(before.body.balance);
    const entry = await call('GET', `/v1/blocklist/${encodeURIComponent(number)}`, { key: account.apiKey });
    expect(entry.body).toMatchObject({ blocked: true, list: 'account', note: 'opt-out (STOP reply)' });
  });

  it('custom opt-out keywords replace the defaults, matched without case or diacritics', async () => {
    // Arrange
    const code = shortCode();
    const account = await newAccount('1.0000', { senderIds: [code] });
    const set = await call('PUT', '/v1/account/opt-out', {
      key: account.apiKey,
      body: { keywords: ['Renunț'] },
    });
    expect(set.body).toEqual({ keywords: ['RENUNT'], isDefault: false });
    const stays = mobile('41');
    const leaves = mobile('42');
    await sendFrom(account.apiKey, code, stays);
    await sendFrom(account.apiKey, code, leaves);

    // Act: STOP is no longer a keyword for this account; "renunt" is
    await mo(stays, code, 'STOP');
    await mo(leaves, code, 'renunt!');

    // Assert
    const items = await eventually(
      () => replies(account.apiKey),
      (list) => list.length === 2,
    );
    expect(items.find((r) => r.from === stays)?.optOut).toBe(false);
    expect(items.find((r) => r.from === leaves)?.optOut).toBe(true);
    const toStays = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: stays, text: 'x', from: code },
    });
    expect(toStays.status).toBe(202);
    const toLeaves = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: leaves, text: 'x', from: code },
    });
    expect(toLeaves.body).toMatchObject({ error: { code: 'BLOCKLISTED' } });
    // Back to the defaults
    const reset = await call('PUT', '/v1/account/opt-out', { key: account.apiKey, body: { keywords: null } });
    expect(reset.body).toEqual({ keywords: ['STOP', 'DEZABONARE', 'NU'], isDefault: true });
  });

  it('a dedicated number routes every reply to its account, whoever sent last from it', async () => {
    // Arrange: the operator dedicates the number to `owner`; `other` sends from it last
    const { operatorKey } = stack();
    const code = shortCode();
    const owner = await newAccount('1.0000', { senderIds: [code] });
    const other = await newAccount('1.0000', { senderIds: [code] });
    const assigned = await call('PUT', `/v1/admin/numbers/${code}`, {
      key: operatorKey,
      body: { accountId: owner.id },
    });
    expect(assigned.status).toBe(200);
    const number = mobile('51');
    await sendFrom(other.apiKey, code, number);

    // Act
    await mo(number, code, 'Salut');

    // Assert
    const [reply] = await eventually(
      () => replies(owner.apiKey),
      (items) => items.length > 0,
    );
    expect(reply).toMatchObject({ from: number, routedBy: 'dedicated-number' });
    expect(await replies(other.apiKey)).toEqual([]);
    const missing = await call('PUT', `/v1/admin/numbers/${shortCode()}`, {
      key: operatorKey,
      body: { accountId: 'no-such-account' },
    });
    expect(missing.status).toBe(404);
    expect((await call('DELETE', `/v1/admin/numbers/${code}`, { key: operatorKey })).status).toBe(204);
    expect((await call('DELETE', `/v1/admin/numbers/${code}`, { key: operatorKey })).status).toBe(404);
  });

  describe('forwarding to the callback URL', () => {
    let receiver: Awaited<ReturnType<typeof startCallbackReceiver>>;
    beforeAll(async () => {
      receiver = await startCallbackReceiver();
    });
    afterAll(() => receiver.close());

    it('POSTs each reply, signed with the account secret, when replies are switched on', async () => {
      // Arrange
      const code = shortCode();
      const account = await newAccount('1.0000', { senderIds: [code] });
      const settings = await call<{ secret: string; url: string; replies: boolean }>(
        'PUT',
        '/v1/account/callbacks',
        {
          key: account.apiKey,
          body: { url: `${receiver.url}/replies/${account.id}`, replies: true },
        },
      );
      expect(settings.status).toBe(200);
      expect(settings.body).toMatchObject({ url: `${receiver.url}/replies/${account.id}`, replies: true });
      expect(settings.body.secret).toMatch(/^whsec_/);
      const number = mobile('61');
      await sendFrom(account.apiKey, code, number);

      // Act
      await mo(number, code, 'Multumesc');

      // Assert
      const [hit] = await eventually(
        async () => receiver.received.filter((r) => r.path === `/replies/${account.id}`),
        (hits) => hits.length > 0,
      );
      expect(hit?.method).toBe('POST');
      expect(hit?.headers['x-callback-type']).toBe('message.inbound');
      expect(JSON.parse(hit?.body ?? '{}')).toMatchObject({
        type: 'message.inbound',
        from: number,
        to: code,
        text: 'Multumesc',
        optOut: false,
      });
      const valid = verifyWebhook({
        secret: settings.body.secret,
        timestamp: String(hit?.headers['x-timestamp']),
        signature: String(hit?.headers['x-signature']),
        rawBody: hit?.body ?? '',
        nowSeconds: Math.floor(Date.now() / 1000),
      });
      expect(valid).toBe(true);
      expect(
        verifyWebhook({
          secret: 'whsec_not-the-secret',
          timestamp: String(hit?.headers['x-timestamp']),
          signature: String(hit?.headers['x-signature']),
          rawBody: hit?.body ?? '',
          nowSeconds: Math.floor(Date.now() / 1000),
        }),
      ).toBe(false);
    });
  });

  it('refuses an MO webhook without a valid signature (401) and an unknown carrier (400)', async () => {
    const body = JSON.stringify({
      carrierId: 'x1',
      from: '40722000001',
      to: '1898',
      text: 'hi',
      receivedAt: new Date().toISOString(),
    });
    const forged = await call('POST', '/v1/webhooks/carrier/sim/mo', {
      rawBody: body,
      headers: {
        'x-sim-timestamp': String(Math.floor(Date.now() / 1000)),
        'x-sim-signature': `v1=${'0'.repeat(64)}`,
      },
    });
    expect(forged.status).toBe(401);
    const unknown = await call('POST', '/v1/webhooks/carrier/other/mo', { rawBody: body });
    expect(unknown.status).toBe(400);
  });

  it("isolation: an account sees only its own replies; another's cursor is refused; operator routes need the operator", async () => {
    // Arrange: A has two replies (so a page of one has a cursor); B has none
    const code = shortCode();
    const a = await newAccount('1.0000', { senderIds: [code] });
    const b = await newAccount('1.0000', { senderIds: [code] });
    const [first, second] = [mobile('71'), mobile('72')];
    await sendFrom(a.apiKey, code, first);
    await sendFrom(a.apiKey, code, second);
    await mo(first, code, 'unu');
    await mo(second, code, 'doi');
    await eventually(
      () => replies(a.apiKey),
      (items) => items.length === 2,
    );
    const page = await call<{ items: Reply[]; cursor?: string }>('GET', '/v1/inbound?limit=1', {
      key: a.apiKey,
    });
    expect(page.body.cursor).toBeDefined();

    // Act
    const withCursorOfA = await call('GET', `/v1/inbound?limit=1&cursor=${page.body.cursor}`, {
      key: b.apiKey,
    });
    const listOfB = await call<{ items: Reply[] }>('GET', '/v1/inbound', { key: b.apiKey });
    const byNumber = await call<{ items: Reply[] }>(
      'GET',
      `/v1/inbound?number=${encodeURIComponent(first)}`,
      {
        key: b.apiKey,
      },
    );
    const customerOnOperator = await call('PUT', `/v1/admin/numbers/${code}`, {
      key: b.apiKey,
      body: { accountId: b.id },
    });

    // Assert
    expect(withCursorOfA.status).toBe(400);
    expect(JSON.stringify(withCursorOfA.body)).not.toContain('unu');
    expect(listOfB.body.items).toEqual([]);
    expect(byNumber.body.items).toEqual([]);
    expect(customerOnOperator.status).toBe(401);
    const next = await call<{ items: Reply[] }>('GET', `/v1/inbound?limit=1&cursor=${page.body.cursor}`, {
      key: a.apiKey,
    });
    expect(next.body.items.map((r) => r.text)).toEqual(['unu']);
  });
});
