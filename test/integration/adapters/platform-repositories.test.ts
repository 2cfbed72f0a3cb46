import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeDynamoBlocklistRepository } from '#adapters/dynamodb/blocklist-repository';
import { makeDynamoGlobalBlocklistRepository } from '#adapters/dynamodb/global-blocklist-repository';
import { rateWindowKey } from '#adapters/dynamodb/platform-keys';
import { makeDynamoPriceListRepository } from '#adapters/dynamodb/price-list-repository';
import { makeDynamoRateLimiter } from '#adapters/dynamodb/rate-limiter';
import { makeDynamoSenderIdRequestRepository } from '#adapters/dynamodb/sender-id-request-repository';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import { InvalidPriceList } from '#domain/pricing/price-list';
import type { SenderIdRequest } from '#domain/sender/sender-id-request';
import type { StoredPriceList } from '#ports/price-list-store';
import { useOwnTable } from '../../support/own-table';

const tableName = 'platform-repositories';
const { client } = useOwnTable(tableName);

const list = (id: string, pricePerPart: number, extra: Partial<StoredPriceList> = {}): StoredPriceList => ({
  id,
  currency: 'EUR',
  entries: [{ prefix: '40', pricePerPart, country: 'RO' }],
  updatedAt: '2026-01-01T00:00:00.000Z',
  ...extra,
});

describe('the DynamoDB rate limiter (fixed one-second window)', () => {
  it('allows exactly `limit` requests per account-second, even when they race', async () => {
    // Arrange
    const limiter = makeDynamoRateLimiter({ client, tableName, now: () => 1_800_000_000_500 });

    // Act
    const decisions = await Promise.all(Array.from({ length: 25 }, () => limiter.take('acc-race', 10)));

    // Assert
    expect(decisions.filter((d) => d.ok)).toHaveLength(10);
    expect(decisions.filter((d) => !d.ok)).toEqual(Array(15).fill({ ok: false, retryAfterSeconds: 1 }));
    const { Item } = await client.send(
      new GetCommand({ TableName: tableName, Key: rateWindowKey('acc-race', 1_800_000_000) }),
    );
    expect(Item).toMatchObject({ n: 10, expiresAt: 1_800_000_060 });
  });

  it('starts a new allowance each second and counts each account apart', async () => {
    let now = 1_800_000_100_900;
    const limiter = makeDynamoRateLimiter({ client, tableName, now: () => now });
    expect(await limiter.take('acc-a', 1)).toEqual({ ok: true });
    expect(await limiter.take('acc-a', 1)).toMatchObject({ ok: false });
    expect(await limiter.take('acc-b', 1)).toEqual({ ok: true });
    now += 200; // the next second
    expect(await limiter.take('acc-a', 1)).toEqual({ ok: true });
  });

  it('refuses everything for a limit below 1', async () => {
    const limiter = makeDynamoRateLimiter({ client, tableName });
    expect(await limiter.take('acc-zero', 0)).toMatchObject({ ok: false });
  });
});

describe('the DynamoDB price list repository', () => {
  it('prices with the built-in default, then a stored default, then the account override', async () => {
    // Arrange
    const repo = makeDynamoPriceListRepository({ client, tableName, cacheSeconds: 0 });

    // Act / Assert
    expect(await repo.forAccount({})).toBe(DEFAULT_PRICE_LIST);
    await repo.put(list('default', 400));
    expect((await repo.forAccount({})).entries[0]?.pricePerPart).toBe(400);
    expect((await repo.forAccount({ priceListId: 'missing' })).id).toBe('default');
    await repo.put(list('vip', 300, { updatedBy: 'op' }));
    expect(await repo.forAccount({ priceListId: 'vip' })).toEqual(list('vip', 300, { updatedBy: 'op' }));
    expect((await repo.list()).map((l) => l.id).sort()).toEqual(['default', 'vip']);
  });

  it('serves a cached list until the cache time passes', async () => {
    // Arrange
    let now = 0;
    const writer = makeDynamoPriceListRepository({ client, tableName, cacheSeconds: 0 });
    const sender = makeDynamoPriceListRepository({ client, tableName, cacheSeconds: 30, now: () => now });
    await writer.put(list('cached', 100));
    const first = await sender.forAccount({ priceListId: 'cached' });

    // Act
    await writer.put(list('cached', 200));
    const stale = await sender.forAccount({ priceListId: 'cached' });
    now += 30_001;
    const fresh = await sender.forAccount({ priceListId: 'cached' });

    // Assert
    expect(stale).toBe(first);
    expect(fresh.entries[0]?.pricePerPart).toBe(200);
  });

  it('refuses a list too large for one item before writing it', async () => {
    const repo = makeDynamoPriceListRepository({ client, tableName });
    const entries = Array.from({ length: 6000 }, (_, i) => ({
      prefix: String(100000 + i),
      pricePerPart: 1,
      network: 'A network name long enough to add up',
    }));
    await expect(repo.put(list('huge', 1, { entries }))).rejects.toBeInstanceOf(InvalidPriceList);
    expect(await repo.get('huge')).toBeUndefined();
  });
});

describe('the DynamoDB sender id request repository', () => {
  const request = (id: string, accountId: string, createdAt: string): SenderIdRequest => ({
    id,
    accountId,
    senderId: `Brand${id}`,
    status: 'pending',
    createdAt,
  });

  it("finds a request by id alone, lists an account's own, and queues by status oldest first", async () => {
    // Arrange
    const repo = makeDynamoSenderIdRequestRepository({ client, tableName });
    await repo.create(request('r2', 'acc-s1', '2026-01-01T00:00:02.000Z'));
    await repo.create(request('r1', 'acc-s1', '2026-01-01T00:00:01.000Z'));
    await repo.create(request('r3', 'acc-s2', '2026-01-01T00:00:03.000Z'));

    // Act / Assert
    expect(await repo.get('r3')).toMatchObject({ accountId: 'acc-s2', senderId: 'Brandr3' });
    expect(await repo.get('nope')).toBeUndefined();
    expect((await repo.listForAccount('acc-s1')).map((r) => r.id)).toEqual(['r1', 'r2']);
    const first = await repo.listByStatus('pending', { limit: 2 });
    expect(first.items.map((r) => r.id)).toEqual(['r1', 'r2']);
    const second = await repo.listByStatus('pending', {
      limit: 2,
      ...(first.cursor ? { cursor: first.cursor } : {}),
    });
    expect(second.items.map((r) => r.id)).toEqual(['r3']);
  });

  it('records the first decision only, and moves the request to its new status queue', async () => {
    // Arrange
    const repo = makeDynamoSenderIdRequestRepository({ client, tableName });
    await repo.create(request('d1', 'acc-d', '2026-01-02T00:00:00.000Z'));

    // Act
    const approved = await repo.decide('d1', {
      status: 'approved',
      at: '2026-01-02T01:00:00.000Z',
      by: 'op',
    });
    const late = await repo.decide('d1', {
      status: 'rejected',
      at: '2026-01-02T02:00:00.000Z',
      by: 'op',
      reason: 'x',
    });

    // Assert
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'op' });
    expect(late).toMatchObject({ status: 'approved' });
    expect(late).not.toHaveProperty('reason');
    const queue = await repo.listByStatus('approved', { limit: 100 });
    expect(queue.items.map((r) => r.id)).toContain('d1');
    expect((await repo.listByStatus('pending', { limit: 100 })).items.map((r) => r.id)).not.toContain('d1');
    expect(await repo.decide('nope', { status: 'approved', at: 'x', by: 'op' })).toBeUndefined();
  });
});

describe('the DynamoDB global blocklist repository', () => {
  it('adds, updates, pages, and removes entries that the send path sees', async () => {
    // Arrange
    const repo = makeDynamoGlobalBlocklistRepository({ client, tableName });
    const sendPath = makeDynamoBlocklistRepository({ client, tableName });
    const at = '2026-01-01T00:00:00.000Z';

    // Act / Assert
    expect(
      await repo.put({ number: '+40722000001', createdAt: at, createdBy: 'op', reason: 'a' }),
    ).toMatchObject({
      created: true,
    });
    const updated = await repo.put({
      number: '+40722000001',
      createdAt: 'later',
      createdBy: 'op2',
      reason: 'b',
    });
    expect(updated).toMatchObject({ created: false, entry: { reason: 'b', createdAt: at, createdBy: 'op' } });
    await repo.put({ number: '+40722000002', createdAt: at, createdBy: 'op' });
    expect(await sendPath.find('any-account', '+40722000002')).toBe('global');

    const page1 = await repo.list({ limit: 1 });
    const page2 = await repo.list({ limit: 1, ...(page1.cursor ? { cursor: page1.cursor } : {}) });
    expect([...page1.items, ...page2.items].map((e) => e.number)).toEqual(['+40722000001', '+40722000002']);

    expect(await repo.remove('+40722000002')).toBe(true);
    expect(await repo.remove('+40722000002')).toBe(false);
    expect(await sendPath.find('any-account', '+40722000002')).toBeUndefined();
  });
});
