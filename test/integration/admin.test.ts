import { describe, expect, it } from 'vitest';
import { ROUTES } from '#topology/routes';
import { call, mobile, newAccount, stack } from '../support/api';

const OPERATOR_FUNCTIONS = new Set([
  'admin-accounts',
  'admin-pricing',
  'admin-sender-ids',
  'admin-blocklist',
]);

async function balanceOf(key: string) {
  return (await call<{ balance: string }>('GET', '/v1/account', { key })).body.balance;
}

describe('operator routes', () => {
  it.each(ROUTES.filter((r) => OPERATOR_FUNCTIONS.has(r.function)).map((r) => [r.method, r.path] as const))(
    '%s %s refuses a customer API key (401)',
    async (method, path) => {
      // Arrange
      const customer = await newAccount('0');
      const concrete = path
        .replace('{id}', customer.id)
        .replace('{number}', encodeURIComponent('+40722000000'));

      // Act
      const refused = await call(method, concrete, {
        key: customer.apiKey,
        ...(method === 'GET' || method === 'DELETE' ? {} : { body: {} }),
      });

      // Assert
      expect(refused.status).toBe(401);
      expect(refused.body).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    },
  );
});

describe('operator account routes', () => {
  it('shows an account with its balance, reserved and spent as money strings', async () => {
    // Arrange
    const account = await newAccount('2.5000');

    // Act
    const shown = await call('GET', `/v1/admin/accounts/${account.id}`, { key: stack().operatorKey });

    // Assert
    expect(shown.status).toBe(200);
    expect(shown.body).toMatchObject({
      id: account.id,
      status: 'active',
      balance: '2.5000',
      reserved: '0.0000',
      spent: '0.0000',
      currency: 'EUR',
      priceListId: 'default',
    });
  });

  it.each([
    'GET /v1/admin/accounts/{id}',
    'POST /v1/admin/accounts/{id}/suspend',
    'POST /v1/admin/accounts/{id}/reactivate',
  ])('%s answers 404 for an unknown account', async (route) => {
    const [method = 'GET', path = ''] = route.split(' ');
    const missing = await call(method, path.replace('{id}', 'NO-SUCH-ACCOUNT'), { key: stack().operatorKey });
    expect(missing.status).toBe(404);
    expect(missing.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
  });

  it("refuses a suspended account's key at once and accepts it again after reactivation", async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const { operatorKey } = stack();
    expect((await call('GET', '/v1/account', { key: account.apiKey })).status).toBe(200);

    // Act
    const suspended = await call('POST', `/v1/admin/accounts/${account.id}/suspend`, { key: operatorKey });
    const whileSuspended = await call('GET', '/v1/account', { key: account.apiKey });
    const sendWhileSuspended = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile(), text: 'Hi' },
    });
    const reactivated = await call('POST', `/v1/admin/accounts/${account.id}/reactivate`, {
      key: operatorKey,
    });
    const afterwards = await call('GET', '/v1/account', { key: account.apiKey });

    // Assert
    expect(suspended.status).toBe(200);
    expect(suspended.body).toMatchObject({ id: account.id, status: 'suspended' });
    expect(whileSuspended.status).toBe(401);
    expect(sendWhileSuspended.status).toBe(401);
    expect(reactivated.body).toMatchObject({ status: 'active' });
    expect(afterwards.status).toBe(200);
    expect(afterwards.body).toMatchObject({ balance: '1.0000' });
  });
});

describe('the global blocklist', () => {
  it('refuses sends to a blocked number (422 BLOCKLISTED, nothing charged) until it is unblocked', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const { operatorKey } = stack();
    const to = mobile('21');
    const path = `/v1/admin/blocklist/${encodeURIComponent(to)}`;

    // Act
    const blocked = await call('PUT', path, { key: operatorKey, body: { reason: 'Complaint #12' } });
    const refused = await call('POST', '/v1/messages', { key: account.apiKey, body: { to, text: 'Promo' } });
    const balanceWhileBlocked = await balanceOf(account.apiKey);
    const unblocked = await call('DELETE', path, { key: operatorKey });
    const sent = await call('POST', '/v1/messages', { key: account.apiKey, body: { to, text: 'Promo' } });

    // Assert
    expect(blocked.status).toBe(201);
    expect(blocked.body).toMatchObject({ number: to, reason: 'Complaint #12' });
    expect(refused.status).toBe(422);
    expect(refused.body).toMatchObject({ error: { code: 'BLOCKLISTED' } });
    expect(balanceWhileBlocked).toBe('1.0000');
    expect(unblocked.status).toBe(204);
    expect(sent.status).toBe(202);
  });

  it('stores any spelling of a number as E.164; blocking twice updates; listing pages through it', async () => {
    // Arrange
    const { operatorKey } = stack();
    const e164 = mobile('22');
    const national = `0${e164.slice(3)}`;

    // Act
    const first = await call('PUT', `/v1/admin/blocklist/${national}`, { key: operatorKey });
    const second = await call('PUT', `/v1/admin/blocklist/${encodeURIComponent(e164)}`, {
      key: operatorKey,
      body: { reason: 'again' },
    });
    const listed: { number: string; reason?: string }[] = [];
    let cursor: string | undefined;
    do {
      const page = await call<{ items: { number: string; reason?: string }[]; cursor?: string }>(
        'GET',
        `/v1/admin/blocklist?limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { key: operatorKey },
      );
      expect(page.status).toBe(200);
      expect(page.body.items.length).toBeLessThanOrEqual(2);
      listed.push(...page.body.items);
      cursor = page.body.cursor;
    } while (cursor);

    // Assert
    expect(first.status).toBe(201);
    expect(first.body).toMatchObject({ number: e164 });
    expect(second.status).toBe(200);
    expect(listed.filter((e) => e.number === e164)).toEqual([expect.objectContaining({ reason: 'again' })]);
    expect((await call('DELETE', `/v1/admin/blocklist/${national}`, { key: operatorKey })).status).toBe(204);
  });

  it('answers 422 INVALID_NUMBER for a non-number and 404 for unblocking a number not on the list', async () => {
    const { operatorKey } = stack();
    const invalid = await call('PUT', '/v1/admin/blocklist/not-a-number', { key: operatorKey });
    expect(invalid.status).toBe(422);
    expect(invalid.body).toMatchObject({ error: { code: 'INVALID_NUMBER' } });
    const absent = await call('DELETE', `/v1/admin/blocklist/${encodeURIComponent(mobile('23'))}`, {
      key: operatorKey,
    });
    expect(absent.status).toBe(404);
    const badLimit = await call('GET', '/v1/admin/blocklist?limit=0', { key: operatorKey });
    expect(badLimit.status).toBe(400);
  });
});
