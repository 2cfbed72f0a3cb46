import { beforeAll, describe, expect, it } from 'vitest';
import { call, mobile, newAccount } from '../support/api';

/**
 * Tenant isolation: for every route that takes an id, account B using account A's ids gets 404 (never
 * A's resource) and A's resource is unchanged afterwards.
 */
interface Fixture {
  a: { id: string; apiKey: string };
  b: { id: string; apiKey: string };
  messageId: string;
  subuserId: string;
  keyId: string;
}

let f: Fixture;

beforeAll(async () => {
  // A generous request rate: each case reads A's resources twice, and a 429 would look like a change.
  const a = await newAccount('1.0000', { requestsPerSecond: 1000 });
  const b = await newAccount('1.0000');
  const message = await call<{ id: string }>('POST', '/v1/messages', {
    key: a.apiKey,
    body: { to: mobile('61'), text: 'A' },
  });
  const subuser = await call<{ id: string }>('POST', '/v1/subusers', {
    key: a.apiKey,
    body: { username: `iso-${a.id}`, password: 'correct horse battery', billing: 'separate' },
  });
  const key = await call<{ keyId: string }>('POST', '/v1/api-keys', {
    key: a.apiKey,
    body: { name: 'A key' },
  });
  f = { a, b, messageId: message.body.id, subuserId: subuser.body.id, keyId: key.body.keyId };
});

const cases: [string, string, (f: Fixture) => string, unknown?][] = [
  ['read a message', 'GET', (x) => `/v1/messages/${x.messageId}`],
  ['read a subuser', 'GET', (x) => `/v1/subusers/${x.subuserId}`],
  ['edit a subuser', 'PATCH', (x) => `/v1/subusers/${x.subuserId}`, { timezone: 'Europe/London' }],
  ['suspend a subuser', 'POST', (x) => `/v1/subusers/${x.subuserId}/suspend`],
  ['reactivate a subuser', 'POST', (x) => `/v1/subusers/${x.subuserId}/reactivate`],
  ['fund a subuser', 'POST', (x) => `/v1/subusers/${x.subuserId}/credit-transfers`, { amount: '-0.1000' }],
  ['revoke an API key', 'DELETE', (x) => `/v1/api-keys/${x.keyId}`],
];

async function snapshotOfA() {
  const [account, message, subuser, keys] = await Promise.all([
    call('GET', '/v1/account', { key: f.a.apiKey }),
    call('GET', `/v1/messages/${f.messageId}`, { key: f.a.apiKey }),
    call('GET', `/v1/subusers/${f.subuserId}`, { key: f.a.apiKey }),
    call('GET', '/v1/api-keys', { key: f.a.apiKey }),
  ]);
  expect([account, message, subuser, keys].map((r) => r.status)).toEqual([200, 200, 200, 200]);
  const { status: _s, events: _e, ...stableMessage } = message.body as Record<string, unknown>;
  const { balance: _b, reserved: _r, spent: _p, ...stableAccount } = account.body as Record<string, unknown>;
  return { stableAccount, stableMessage, subuser: subuser.body, keys: keys.body };
}

describe("account B cannot reach account A's resources", () => {
  it.each(cases)('%s: 404 and nothing changes', async (_, method, path, body) => {
    const before = await snapshotOfA();
    const answer = await call(method, path(f), { key: f.b.apiKey, ...(body === undefined ? {} : { body }) });
    expect(answer.status).toBe(404);
    expect(answer.body).toMatchObject({ error: { code: 'NOT_FOUND' } });
    expect(JSON.stringify(answer.body)).not.toContain(f.a.id);
    expect(await snapshotOfA()).toEqual(before);
  });
});
