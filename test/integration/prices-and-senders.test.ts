import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages, stack } from '../support/api';

const unique = () => Math.random().toString(36).slice(2, 8);

interface Price {
  to: string;
  country?: string;
  network?: string;
  pricePerPart: string;
  currency: string;
  routable: boolean;
}

async function priceOf(key: string, to: string) {
  return call<Price>('GET', `/v1/prices?to=${encodeURIComponent(to)}`, { key });
}

async function balanceOf(key: string) {
  return (await call<{ balance: string }>('GET', '/v1/account', { key })).body.balance;
}

/** A per-account list for one test (never `default`: other test files send with it concurrently). */
async function accountWithOwnList(credit = '1.0000') {
  const { operatorKey } = stack();
  const account = await newAccount(credit);
  const listId = `test-${unique()}`;
  const saved = await call('PUT', `/v1/admin/price-lists/${listId}`, {
    key: operatorKey,
    body: {
      currency: 'EUR',
      entries: [
        { prefix: '40', price: '0.0300', country: 'RO' },
        { prefix: '4072', price: '0.0250', country: 'RO', network: 'Test network' },
      ],
    },
  });
  expect(saved.status).toBe(201);
  const assigned = await call('PUT', `/v1/admin/accounts/${account.id}/price-list`, {
    key: operatorKey,
    body: { priceListId: listId },
  });
  expect(assigned.status).toBe(200);
  expect(assigned.body).toMatchObject({ priceListId: listId });
  return { account, listId };
}

describe('prices', () => {
  it('quotes one part with the default list: E.164, country, decimal price', async () => {
    const account = await newAccount('0');
    const price = await priceOf(account.apiKey, '0722 123 456');
    expect(price.status).toBe(200);
    expect(price.body).toEqual({
      to: '+40722123456',
      country: 'RO',
      prefix: '40',
      pricePerPart: '0.0450',
      currency: 'EUR',
      routable: true,
    });
  });

  it('a per-account list beats the default, network prefix first; other accounts keep the default', async () => {
    // Arrange
    const { account } = await accountWithOwnList();
    const other = await newAccount('0');

    // Act
    const network = await priceOf(account.apiKey, '+40722123456');
    const country = await priceOf(account.apiKey, '+40744123456');
    const otherPrice = await priceOf(other.apiKey, '+40722123456');

    // Assert
    expect(network.body).toMatchObject({ pricePerPart: '0.0250', network: 'Test network' });
    expect(country.body).toMatchObject({ pricePerPart: '0.0300' });
    expect(otherPrice.body).toMatchObject({ pricePerPart: '0.0450' });
  });

  it('refuses an unpriced destination as 422 NOT_ROUTABLE, and a bad number as 422 INVALID_NUMBER', async () => {
    const { account } = await accountWithOwnList();
    const defaultAccount = await newAccount('0');
    const german = await priceOf(account.apiKey, '+4915112345678');
    expect(german.status).toBe(422);
    expect(german.body).toMatchObject({ error: { code: 'NOT_ROUTABLE' } });
    const american = await priceOf(defaultAccount.apiKey, '+12015550123');
    expect(american.body).toMatchObject({ error: { code: 'NOT_ROUTABLE' } });
    const invalid = await priceOf(account.apiKey, '12345');
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ error: { code: 'INVALID_NUMBER' } });
    const missing = await call('GET', '/v1/prices', { key: account.apiKey });
    expect(missing.status).toBe(400);
  });

  it('the operator reads lists back with decimal prices, and lists them with the default', async () => {
    const { operatorKey } = stack();
    const { listId } = await accountWithOwnList();
    const read = await call('GET', `/v1/admin/price-lists/${listId}`, { key: operatorKey });
    expect(read.body).toMatchObject({
      id: listId,
      currency: 'EUR',
      builtIn: false,
      entries: [
        { prefix: '40', price: '0.0300', country: 'RO' },
        { prefix: '4072', price: '0.0250', network: 'Test network' },
      ],
    });
    const all = await call<{ items: { id: string; entryCount: number }[] }>('GET', '/v1/admin/price-lists', {
      key: operatorKey,
    });
    expect(all.body.items).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ id: 'default' }),
        expect.objectContaining({ id: listId, entryCount: 2 }),
      ]),
    );
    const replaced = await call('PUT', `/v1/admin/price-lists/${listId}`, {
      key: operatorKey,
      body: { currency: 'EUR', entries: [{ prefix: '40', price: '0.0310' }] },
    });
    expect(replaced.status).toBe(200);
  });

  it('refuses bad lists (400) and unknown accounts or lists (404)', async () => {
    const { operatorKey } = stack();
    const account = await newAccount('0');
    const floaty = await call('PUT', `/v1/admin/price-lists/bad-${unique()}`, {
      key: operatorKey,
      body: { currency: 'EUR', entries: [{ prefix: '40', price: '0.00001' }] },
    });
    expect(floaty.status).toBe(400);
    const duplicate = await call('PUT', `/v1/admin/price-lists/bad-${unique()}`, {
      key: operatorKey,
      body: {
        currency: 'EUR',
        entries: [
          { prefix: '40', price: '0.01' },
          { prefix: '40', price: '0.02' },
        ],
      },
    });
    expect(duplicate.status).toBe(400);
    expect((await call('GET', '/v1/admin/price-lists/nope', { key: operatorKey })).status).toBe(404);
    const unknownList = await call('PUT', `/v1/admin/accounts/${account.id}/price-list`, {
      key: operatorKey,
      body: { priceListId: `nope-${unique()}` },
    });
    expect(unknownList.status).toBe(404);
    const unknownAccount = await call('PUT', '/v1/admin/accounts/NO-SUCH-ACCOUNT/price-list', {
      key: operatorKey,
      body: { priceListId: 'default' },
    });
    expect(unknownAccount.status).toBe(404);
  });

  // Needs send-message to price with the account's list (PriceListRepository wired in by the lead).
  it('sends at the per-account price, and refuses an unpriced destination with nothing charged', async () => {
    const { account } = await accountWithOwnList('1.0000');
    const refused = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: '+4915112345678', text: 'Hallo' },
    });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'NOT_ROUTABLE' } });
    expect(await balanceOf(account.apiKey)).toBe('1.0000');
    const sent = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile(), text: 'Hi' },
    });
    // mobile() draws from 073–077 (072 is left to hand-written numbers): the list's RO price, not its
    // 4072 network price (network first is the quote test's); the default list would charge 0.0450.
    expect(sent.status).toBe(202);
    expect(sent.body).toMatchObject({ cost: '0.0300' });
  });
});

describe('sender ids', () => {
  it('a requested sender is refused until the operator approves it, then messages go out from it', async () => {
    // Arrange
    const { operatorKey } = stack();
    const account = await newAccount('1.0000');
    const senderId = `Promo${unique()}`.slice(0, 11);

    // Act
    const requested = await call<{ id: string; status: string }>('POST', '/v1/sender-ids', {
      key: account.apiKey,
      body: { senderId, note: 'Newsletter' },
    });
    const again = await call('POST', '/v1/sender-ids', { key: account.apiKey, body: { senderId } });
    const before = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile(), text: 'Hi', from: senderId },
    });
    const queue = await call<{ items: { id: string; accountId: string; senderId: string }[] }>(
      'GET',
      '/v1/admin/sender-id-requests?status=pending&limit=1000',
      { key: operatorKey },
    );
    const approved = await call('POST', `/v1/admin/sender-id-requests/${requested.body.id}/approve`, {
      key: operatorKey,
    });
    const listed = await call('GET', '/v1/sender-ids', { key: account.apiKey });
    const to = mobile('31');
    const after = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to, text: 'Hi', from: senderId },
    });

    // Assert
    expect(requested.status).toBe(201);
    expect(requested.body).toMatchObject({ senderId, status: 'pending', note: 'Newsletter' });
    expect(again.status).toBe(409);
    expect(before.status).toBe(422);
    expect(before.body).toMatchObject({ error: { code: 'SENDER_NOT_ALLOWED' } });
    expect(queue.body.items).toContainEqual(
      expect.objectContaining({ id: requested.body.id, accountId: account.id, senderId }),
    );
    expect(approved.status).toBe(200);
    expect(approved.body).toMatchObject({ status: 'approved' });
    expect(listed.body).toMatchObject({
      approved: expect.arrayContaining([senderId]),
      requests: [expect.objectContaining({ id: requested.body.id, status: 'approved' })],
    });
    expect(after.status).toBe(202);
    const atCarrier = await eventually(
      async () => (await simMessages()).filter((m) => m.to === to),
      (found) => found.length === 1,
    );
    expect(atCarrier[0]?.from).toBe(senderId);
    expect((await call('POST', '/v1/sender-ids', { key: account.apiKey, body: { senderId } })).status).toBe(
      409,
    );
  });

  it('a rejected request shows its reason and the sender stays refused', async () => {
    const { operatorKey } = stack();
    const account = await newAccount('1.0000');
    const senderId = `Bank${unique()}`;
    const requested = await call<{ id: string }>('POST', '/v1/sender-ids', {
      key: account.apiKey,
      body: { senderId },
    });
    const rejected = await call('POST', `/v1/admin/sender-id-requests/${requested.body.id}/reject`, {
      key: operatorKey,
      body: { reason: 'Looks like impersonation' },
    });
    expect(rejected.body).toMatchObject({ status: 'rejected', reason: 'Looks like impersonation' });
    const approveLate = await call('POST', `/v1/admin/sender-id-requests/${requested.body.id}/approve`, {
      key: operatorKey,
    });
    expect(approveLate.status).toBe(409);
    const listed = await call('GET', '/v1/sender-ids', { key: account.apiKey });
    expect(listed.body).toMatchObject({
      requests: [expect.objectContaining({ status: 'rejected', reason: 'Looks like impersonation' })],
    });
    const send = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile(), text: 'x', from: senderId },
    });
    expect(send.body).toMatchObject({ error: { code: 'SENDER_NOT_ALLOWED' } });
  });

  it('refuses invalid sender ids (400), unknown request ids (404) and a reject without reason (400)', async () => {
    const { operatorKey } = stack();
    const account = await newAccount('0');
    const invalid = await call('POST', '/v1/sender-ids', {
      key: account.apiKey,
      body: { senderId: 'Bad/Name!' },
    });
    expect(invalid.status).toBe(400);
    expect(
      (await call('POST', '/v1/admin/sender-id-requests/NOPE/approve', { key: operatorKey })).status,
    ).toBe(404);
    const requested = await call<{ id: string }>('POST', '/v1/sender-ids', {
      key: account.apiKey,
      body: { senderId: `X${unique()}` },
    });
    const noReason = await call('POST', `/v1/admin/sender-id-requests/${requested.body.id}/reject`, {
      key: operatorKey,
      body: {},
    });
    expect(noReason.status).toBe(400);
  });

  it("one account never sees another's requests", async () => {
    const a = await newAccount('0');
    const b = await newAccount('0');
    await call('POST', '/v1/sender-ids', { key: a.apiKey, body: { senderId: `Only${unique()}` } });
    const seenByB = await call<{ approved: string[]; requests: unknown[] }>('GET', '/v1/sender-ids', {
      key: b.apiKey,
    });
    expect(seenByB.status).toBe(200);
    expect(seenByB.body.requests).toEqual([]);
  });
});
