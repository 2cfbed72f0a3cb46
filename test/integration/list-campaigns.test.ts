import { describe, expect, it } from 'vitest';
import { call, eventually, mobiles, newAccount, simMessages } from '../support/api';

interface Batch {
  id: string;
  status: string;
  reason?: string;
  source?: { groups: string[] };
  summary?: {
    rows: number;
    valid: number;
    invalid: number;
    duplicates: number;
    messages: number;
    cost: string;
  };
  progress: { sent: number; delivered: number; failed: number };
}

async function group(
  key: string,
  name: string,
  contacts: { phone: string; firstName?: string; fields?: object }[],
) {
  const created = await call<{ id: string }>('POST', '/v1/contact-groups', { key, body: { name } });
  expect(created.status).toBe(201);
  for (const contact of contacts) {
    const added = await call('POST', `/v1/contact-groups/${created.body.id}/contacts`, {
      key,
      body: contact,
    });
    expect(added.status).toBe(201);
  }
  return created.body.id;
}

async function batchUntil(key: string, id: string, done: (b: Batch) => boolean) {
  return (
    await eventually(
      () => call<Batch>('GET', `/v1/batches/${id}`, { key }),
      (r) => done(r.body),
      { timeoutMs: 45_000 },
    )
  ).body;
}

describe('list campaigns: a batch whose recipients are contact groups', () => {
  it('two overlapping groups: each number is sent exactly once, placeholders from contact fields rendered', async () => {
    // Arrange: A = {1, 2, 3}, B = {3, 4}: 4 distinct numbers, number 3 in both groups.
    const account = await newAccount('5.0000');
    const key = account.apiKey;
    const [n1, n2, n3, n4] = mobiles(4) as [string, string, string, string];
    const a = await group(key, 'Clienți', [
      { phone: n1, firstName: 'Ana', fields: { Oraș: 'Iași' } },
      { phone: n2, firstName: 'Ștefan', fields: { Oraș: 'Cluj' } },
      { phone: n3, firstName: 'Ion' },
    ]);
    const b = await group(key, 'Parteneri', [
      { phone: n3, firstName: 'Ion' },
      { phone: n4, firstName: 'Maria' },
    ]);

    // Act
    const created = await call<Batch>('POST', '/v1/batches', {
      key,
      body: { name: 'Toamna', source: { groups: [a, b] }, text: 'Salut #Prenume din #oras!' },
    });
    expect(created.status).toBe(201);
    expect(created.body.source).toEqual({ groups: [a, b] });
    const ready = await batchUntil(key, created.body.id, (x) => x.status !== 'analysing');
    expect(ready.status).toBe('ready');
    expect(ready.summary).toMatchObject({ rows: 5, valid: 4, invalid: 0, duplicates: 1, messages: 4 });
    const started = await call<Batch>('POST', `/v1/batches/${created.body.id}/start`, { key });
    expect(started.status).toBe(200);
    const done = await batchUntil(key, created.body.id, (x) => x.status === 'completed');

    // Assert: the carrier got each number once, with its own text
    expect(done.progress).toMatchObject({ sent: 4, delivered: 4 });
    const ours = new Set([n1, n2, n3, n4]);
    const received = (await simMessages()).filter((m) => ours.has(m.to));
    expect(received.map((m) => [m.to, m.text]).sort()).toEqual(
      [
        [n1, 'Salut Ana din Iași!'],
        [n2, 'Salut Ștefan din Cluj!'],
        [n3, 'Salut Ion din !'],
        [n4, 'Salut Maria din !'],
      ].sort(),
    );
  });

  it('a saved template stands for the text; /rows shows each contact rendered', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const key = account.apiKey;
    const [n1, n2] = mobiles(2) as [string, string];
    const a = await group(key, 'A', [
      { phone: n1, firstName: 'Ana' },
      { phone: n2, firstName: 'Dan' },
    ]);
    const template = await call<{ id: string }>('POST', '/v1/templates', {
      key,
      body: { name: 'Salut', text: 'Buna, #firstname!' },
    });
    // Act
    const created = await call<Batch>('POST', '/v1/batches', {
      key,
      body: { name: 'T', source: { groups: [a] }, templateId: template.body.id },
    });
    const ready = await batchUntil(key, created.body.id, (x) => x.status !== 'analysing');
    const rows = await call<{ items: { to: string; text: string }[] }>(
      'GET',
      `/v1/batches/${created.body.id}/rows`,
      {
        key,
      },
    );
    // Assert
    expect(ready.summary).toMatchObject({ rows: 2, valid: 2, messages: 2 });
    expect(rows.body.items.map((r) => [r.to, r.text]).sort()).toEqual(
      [
        [n1, 'Buna, Ana!'],
        [n2, 'Buna, Dan!'],
      ].sort(),
    );
  });

  it('refuses unknown placeholders, foreign groups and groups of another account', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const other = await newAccount('1.0000');
    const [n] = mobiles(1) as [string];
    const mine = await group(account.apiKey, 'Mine', [{ phone: n, firstName: 'Ana' }]);
    const theirs = await group(other.apiKey, 'Theirs', [{ phone: n }]);

    // Act
    const foreign = await call('POST', '/v1/batches', {
      key: account.apiKey,
      body: { name: 'X', source: { groups: [mine, theirs] }, text: 'Hi' },
    });
    const typo = await call<Batch>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { name: 'Y', source: { groups: [mine] }, text: 'Hi #Prenum' },
    });
    const failed = await batchUntil(account.apiKey, typo.body.id, (x) => x.status !== 'analysing');

    // Assert
    expect(foreign.status).toBe(404);
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/Prenum/);
  });
});
