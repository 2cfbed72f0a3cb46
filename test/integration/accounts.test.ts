import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount } from '../support/api';

const password = 'correct horse battery';

async function newSubuser(parentKey: string, username: string, billing = 'separate') {
  const created = await call<{ id: string; apiKey: string; parentId: string; billing: string }>(
    'POST',
    '/v1/subusers',
    {
      key: parentKey,
      body: { username, password, billing, notificationEmail: 'ops@example.com', receivesReplies: false },
    },
  );
  expect(created.status).toBe(201);
  return created.body;
}

describe('subusers', () => {
  it('are created with their own key, listed, edited and suspended by their parent', async () => {
    const parent = await newAccount('1.0000');
    const sub = await newSubuser(parent.apiKey, `shop-${parent.id}`);
    expect(sub).toMatchObject({ parentId: parent.id, billing: 'separate' });

    const own = await call<{ id: string; parentId: string }>('GET', '/v1/account', { key: sub.apiKey });
    expect(own.body).toMatchObject({ id: sub.id, parentId: parent.id });

    const list = await call<{ items: { id: string }[] }>('GET', '/v1/subusers', { key: parent.apiKey });
    expect(list.body.items.map((s) => s.id)).toEqual([sub.id]);

    const edited = await call('PATCH', `/v1/subusers/${sub.id}`, {
      key: parent.apiKey,
      body: { billing: 'parent', timezone: 'Europe/London' },
    });
    expect(edited.body).toMatchObject({ billing: 'parent', timezone: 'Europe/London' });

    expect((await call('POST', `/v1/subusers/${sub.id}/suspend`, { key: parent.apiKey })).status).toBe(200);
    expect((await call('GET', '/v1/account', { key: sub.apiKey })).status).toBe(401);
    expect((await call('POST', `/v1/subusers/${sub.id}/reactivate`, { key: parent.apiKey })).status).toBe(
      200,
    );
    expect((await call('GET', '/v1/account', { key: sub.apiKey })).status).toBe(200);
  });

  it("a parent sees its subusers' messages; nobody else does", async () => {
    const parent = await newAccount('1.0000');
    const sub = await newSubuser(parent.apiKey, `seen-${parent.id}`, 'parent');
    const sent = await call<{ id: string }>('POST', '/v1/messages', {
      key: sub.apiKey,
      body: { to: mobile('53'), text: 'from the subuser' },
    });
    const seen = await call<{ id: string; text: string }>(
      'GET',
      `/v1/messages/${sent.body.id}?subuser=${sub.id}`,
      {
        key: parent.apiKey,
      },
    );
    expect(seen.status).toBe(200);
    expect(seen.body).toMatchObject({ id: sent.body.id, text: 'from the subuser' });
    const stranger = await newAccount('0');
    expect(
      (await call('GET', `/v1/messages/${sent.body.id}?subuser=${sub.id}`, { key: stranger.apiKey })).status,
    ).toBe(404);
    expect((await call('GET', `/v1/messages/${sent.body.id}`, { key: parent.apiKey })).status).toBe(404);
  });

  it('a username is unique platform-wide (409)', async () => {
    const a = await newAccount('0');
    const b = await newAccount('0');
    await newSubuser(a.apiKey, `dup-${a.id}`);
    const again = await call('POST', '/v1/subusers', {
      key: b.apiKey,
      body: { username: `DUP-${a.id}`, password, billing: 'separate' },
    });
    expect(again.status).toBe(409);
    expect(again.body).toMatchObject({ error: { code: 'USERNAME_TAKEN' } });
  });

  it('cannot reach siblings, the parent, or create subusers of their own', async () => {
    const parent = await newAccount('1.0000');
    const one = await newSubuser(parent.apiKey, `one-${parent.id}`);
    const two = await newSubuser(parent.apiKey, `two-${parent.id}`);
    const sent = await call<{ id: string }>('POST', '/v1/messages', {
      key: parent.apiKey,
      body: { to: mobile('51'), text: 'parent only' },
    });

    expect((await call('GET', `/v1/subusers/${two.id}`, { key: one.apiKey })).status).toBe(404);
    expect((await call('GET', `/v1/messages/${sent.body.id}`, { key: one.apiKey })).status).toBe(404);
    expect(
      (
        await call('POST', `/v1/subusers/${two.id}/credit-transfers`, {
          key: one.apiKey,
          body: { amount: '0.1' },
        })
      ).status,
    ).toBe(404);
    const nested = await call('POST', '/v1/subusers', {
      key: one.apiKey,
      body: { username: `nested-${parent.id}`, password, billing: 'separate' },
    });
    expect(nested.status).toBe(403);
  });
});

describe('API keys', () => {
  it('are created (shown once), listed without secrets, and a revoked key is refused at once', async () => {
    const account = await newAccount('0');
    const created = await call<{ keyId: string; apiKey: string }>('POST', '/v1/api-keys', {
      key: account.apiKey,
      body: { name: 'shop plugin' },
    });
    expect(created.status).toBe(201);
    expect((await call('GET', '/v1/account', { key: created.body.apiKey })).status).toBe(200);

    const list = await call<{ items: Record<string, unknown>[] }>('GET', '/v1/api-keys', {
      key: account.apiKey,
    });
    expect(list.body.items).toHaveLength(2);
    expect(JSON.stringify(list.body)).not.toContain(created.body.apiKey.slice(-20));
    expect(list.body.items.every((k) => !('secretHash' in k))).toBe(true);

    expect((await call('DELETE', `/v1/api-keys/${created.body.keyId}`, { key: account.apiKey })).status).toBe(
      204,
    );
    expect((await call('GET', '/v1/account', { key: created.body.apiKey })).status).toBe(401);
    expect((await call('GET', '/v1/account', { key: account.apiKey })).status).toBe(200);
  });

  it("another account's key id cannot be revoked (404) and keeps working", async () => {
    const a = await newAccount('0');
    const b = await newAccount('0');
    const key = await call<{ keyId: string; apiKey: string }>('POST', '/v1/api-keys', {
      key: a.apiKey,
      body: {},
    });
    expect((await call('DELETE', `/v1/api-keys/${key.body.keyId}`, { key: b.apiKey })).status).toBe(404);
    expect((await call('GET', '/v1/account', { key: key.body.apiKey })).status).toBe(200);
  });
});

describe('account settings', () => {
  it('changes the password only with the current one, and stores billing details', async () => {
    const parent = await newAccount('0');
    const sub = await newSubuser(parent.apiKey, `pw-${parent.id}`);
    const wrong = await call('PUT', '/v1/account/password', {
      key: sub.apiKey,
      body: { currentPassword: 'not it at all', newPassword: 'another long passphrase' },
    });
    expect(wrong.status).toBe(403);
    const right = await call('PUT', '/v1/account/password', {
      key: sub.apiKey,
      body: { currentPassword: password, newPassword: 'another long passphrase' },
    });
    expect(right.status).toBe(204);

    const billing = await call('PUT', '/v1/account/billing', {
      key: parent.apiKey,
      body: { company: 'Magazin SRL', vatId: 'RO12345678', address: 'Str. Exemplu 1, București' },
    });
    expect(billing.body).toMatchObject({ billingDetails: { company: 'Magazin SRL', vatId: 'RO12345678' } });
  });

  it('the ledger lists the top-up and the reservation of a send, newest first', async () => {
    const account = await newAccount('1.0000');
    await call('POST', '/v1/messages', { key: account.apiKey, body: { to: mobile('52'), text: 'ledger' } });
    const ledger = await eventually(
      () =>
        call<{ items: { kind: string; amount: string }[] }>('GET', '/v1/account/ledger', {
          key: account.apiKey,
        }),
      (r) => r.body.items.length === 3,
    );
    expect(ledger.body.items.map((e) => e.kind)).toEqual(['settle', 'reserve', 'top-up']);
    expect(ledger.body.items.map((e) => e.amount)).toEqual(['0.0000', '-0.0450', '1.0000']);
  });
});

describe('request rate limit', () => {
  it('answers 429 RATE_LIMITED with Retry-After beyond the account’s requests per second', async () => {
    const account = await newAccount('0', { requestsPerSecond: 3 });
    const answers = await Promise.all(
      Array.from({ length: 12 }, () => call('GET', '/v1/account', { key: account.apiKey })),
    );
    const limited = answers.filter((a) => a.status === 429);
    expect(answers.filter((a) => a.status === 200).length).toBeGreaterThanOrEqual(3);
    expect(limited.length).toBeGreaterThan(0);
    expect(limited[0]?.body).toMatchObject({ error: { code: 'RATE_LIMITED' } });
    expect(limited[0]?.headers.get('retry-after')).toBe('1');
  });
});
