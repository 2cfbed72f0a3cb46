import {
  BatchGetCommand,
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
import type { AccountBlocklistRepository } from '#ports/account-blocklist';
import { isConditionFailure } from './errors';
import { deleteExisting, queryPrefixPage } from './item-operations';
import { accountBlockKey } from './keys';

const PREFIX = 'BLOCK#';
/** BatchGetItem takes 100 keys, BatchWriteItem 25 items. */
const GET_SLICE = 100;
const WRITE_SLICE = 25;
const RETRIES = 8;

function toEntry(item: Record<string, unknown>): AccountBlockEntry {
  const number = String(item.number ?? String(item.sk).slice(PREFIX.length));
  return {
    accountId: String(item.accountId ?? String(item.pk).slice('ACCOUNT#'.length)),
    number,
    createdAt: String(item.createdAt ?? ''),
    createdBy: String(item.createdBy ?? ''),
    ...(item.reason === undefined ? {} : { reason: String(item.reason) }),
  };
}

const itemOf = (entry: AccountBlockEntry) => ({
  ...accountBlockKey(entry.accountId, entry.number),
  entityType: 'accountBlock',
  version: 1,
  ...entry,
});

async function backoff(attempt: number) {
  if (attempt > RETRIES) throw new Error('Blocklist writes throttled; retry');
  if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
}

/**
 * The account's blocklist: `ACCOUNT#<id>` / `BLOCK#<e164>`, the very keys the send paths read with
 * BatchGetItem. Listing is a Query on the account's partition (`begins_with(sk, 'BLOCK#')`).
 */
export function makeDynamoAccountBlocklistRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): AccountBlocklistRepository {
  const { client, tableName: TableName } = options;

  /** Which of these numbers are already listed, with who listed them (one BatchGetItem per 100). */
  async function existing(accountId: string, numbers: readonly string[]): Promise<Map<string, string>> {
    const found = new Map<string, string>();
    for (let start = 0; start < numbers.length; start += GET_SLICE) {
      let keys: Record<string, unknown>[] = numbers
        .slice(start, start + GET_SLICE)
        .map((n) => accountBlockKey(accountId, n));
      for (let attempt = 0; keys.length > 0; attempt++) {
        await backoff(attempt);
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetCommand({
            RequestItems: { [TableName]: { Keys: keys, ProjectionExpression: 'sk, createdBy' } },
          }),
        );
        for (const item of Responses?.[TableName] ?? [])
          found.set(String(item.sk).slice(PREFIX.length), String(item.createdBy ?? ''));
        keys = (UnprocessedKeys?.[TableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
      }
    }
    return found;
  }

  return {
    async get(accountId, e164) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: accountBlockKey(accountId, e164) }),
      );
      return Item ? toEntry(Item) : undefined;
    },

    async put(entry) {
      try {
        await client.send(
          new PutCommand({ TableName, Item: itemOf(entry), ConditionExpression: 'attribute_not_exists(pk)' }),
        );
        return { created: true, entry };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName,
          Key: accountBlockKey(entry.accountId, entry.number),
          UpdateExpression: entry.reason === undefined ? 'REMOVE reason' : 'SET reason = :reason',
          ...(entry.reason === undefined ? {} : { ExpressionAttributeValues: { ':reason': entry.reason } }),
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { created: false, entry: toEntry(Attributes ?? {}) };
    },

    async addMany(entries) {
      const [first] = entries;
      if (!first) return { added: 0, again: 0 };
      // Read first, then write only the new ones: BatchWriteItem has no condition, and an existing
      // entry (its reason, who added it) must stay as it is.
      const listed = await existing(
        first.accountId,
        entries.map((e) => e.number),
      );
      const fresh = entries.filter((e) => !listed.has(e.number));
      for (let start = 0; start < fresh.length; start += WRITE_SLICE) {
        let requests: Record<string, unknown>[] = fresh
          .slice(start, start + WRITE_SLICE)
          .map((e) => ({ PutRequest: { Item: itemOf(e) } }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          await backoff(attempt);
          const { UnprocessedItems } = await client.send(
            new BatchWriteCommand({ RequestItems: { [TableName]: requests as never } }),
          );
          requests = (UnprocessedItems?.[TableName] as Record<string, unknown>[] | undefined) ?? [];
        }
      }
      const again = entries.filter((e) => listed.get(e.number) === e.createdBy).length;
      return { added: fresh.length, again };
    },

    remove(accountId, e164) {
      return deleteExisting(client, TableName, accountBlockKey(accountId, e164));
    },

    list(accountId, page) {
      const pk = accountBlockKey(accountId, '').pk;
      return queryPrefixPage(client, TableName, { pk, prefix: PREFIX, page }, toEntry);
    },
  };
}
