import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '#domain/account/account';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import { InvalidPriceList, type PriceEntry, type PriceList } from '#domain/pricing/price-list';
import type { PriceListStore, StoredPriceList } from '#ports/price-list-store';
import { queryAll } from './item-operations';
import { priceListKey, priceListListKey } from './platform-keys';

/**
 * DynamoDB's item limit is 400 KB; stay well below it. A list of a few hundred entries (~60 bytes
 * each) is ~20 KB; a list this big is a mistake (or an attack), refused before the write.
 */
export const MAX_PRICE_LIST_ITEM_BYTES = 300_000;

const DEFAULT_ID = 'default';

/**
 * Price lists in the table, one item each (`PRICELIST#<id>`), entries as a list attribute.
 *
 * `forAccount` serves the send path and route checks: the account's own list, else the stored
 * `default`, else the built-in {@link DEFAULT_PRICE_LIST}. Lists change rarely and every send needs
 * one, so answers are cached per container for `cacheSeconds` (default 30): a price change reaches
 * every sender within that time, and a send does not pay a read. `get`/`list` (operator) always read.
 */
export function makeDynamoPriceListRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** @default 30 */
  cacheSeconds?: number;
  /** Milliseconds since the epoch; injectable for tests. @default Date.now */
  now?: () => number;
}): PriceListStore {
  const { client, tableName: TableName } = options;
  const cacheMs = (options.cacheSeconds ?? 30) * 1000;
  const now = options.now ?? Date.now;
  const cache = new Map<string, { list: PriceList | undefined; until: number }>();

  async function get(id: string): Promise<StoredPriceList | undefined> {
    const { Item } = await client.send(new GetCommand({ TableName, Key: priceListKey(id) }));
    return Item ? toPriceList(Item) : undefined;
  }

  async function cached(id: string): Promise<PriceList | undefined> {
    const hit = cache.get(id);
    if (hit && hit.until > now()) return hit.list;
    const list = await get(id);
    if (cacheMs > 0) cache.set(id, { list, until: now() + cacheMs });
    return list;
  }

  return {
    get,

    async forAccount(account: Pick<Account, 'priceListId'>) {
      const id = account.priceListId ?? DEFAULT_ID;
      const own = await cached(id);
      if (own) return own;
      return (id === DEFAULT_ID ? undefined : await cached(DEFAULT_ID)) ?? DEFAULT_PRICE_LIST;
    },

    async put(list) {
      const item = {
        ...priceListKey(list.id),
        ...priceListListKey(list.id),
        entityType: 'priceList',
        version: 1,
        id: list.id,
        currency: list.currency,
        entries: list.entries.map(entryItem),
        updatedAt: list.updatedAt,
        ...(list.updatedBy === undefined ? {} : { updatedBy: list.updatedBy }),
      };
      const bytes = Buffer.byteLength(JSON.stringify(item));
      if (bytes > MAX_PRICE_LIST_ITEM_BYTES) {
        throw new InvalidPriceList(`Price list ${list.id} is too large (${bytes} bytes)`);
      }
      await client.send(new PutCommand({ TableName, Item: item }));
      cache.delete(list.id);
    },

    list() {
      return queryAll(client, TableName, { pk: priceListListKey('').gsi1pk, index: 'gsi1' }, toPriceList);
    },
  };
}

function entryItem(entry: PriceEntry): PriceEntry {
  return {
    prefix: entry.prefix,
    pricePerPart: entry.pricePerPart,
    ...(entry.network === undefined ? {} : { network: entry.network }),
    ...(entry.country === undefined ? {} : { country: entry.country }),
  };
}

function toPriceList(item: Record<string, unknown>): StoredPriceList {
  const entries = Array.isArray(item.entries) ? (item.entries as Record<string, unknown>[]) : [];
  return {
    id: String(item.id),
    currency: String(item.currency),
    entries: entries.map((e) =>
      entryItem({
        prefix: String(e.prefix),
        pricePerPart: Number(e.pricePerPart),
        ...(e.network === undefined ? {} : { network: String(e.network) }),
        ...(e.country === undefined ? {} : { country: String(e.country) }),
      }),
    ),
    updatedAt: String(item.updatedAt),
    ...(item.updatedBy === undefined ? {} : { updatedBy: String(item.updatedBy) }),
  };
}
