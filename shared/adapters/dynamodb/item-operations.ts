import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  QueryCommand,
  type QueryCommandInput,
  TransactWriteCommand,
  type TransactWriteCommandInput,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { Page } from '#ports/account-repository';
import { decodeCursor, encodeCursor } from './cursor';
import { conditionalWrite, isConditionFailure, retryOnTransactionConflict } from './errors';

type Key = Record<string, string>;
type Item = Record<string, unknown>;

/**
 * `SET #f0 = :v0, …` for the defined fields of `changes` (undefined ones are left alone), with their
 * names and values; callers add their own condition and its names/values beside these. `remove` names
 * attributes to `REMOVE` in the same update (without any field to set, the expression is only that).
 */
export function setFields(changes: object, remove: readonly string[] = []) {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  const removing = remove.length > 0;
  const clauses = [
    ...(entries.length > 0 || !removing
      ? [`SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`]
      : []),
    ...(removing ? [`REMOVE ${remove.map((_, i) => `#r${i}`).join(', ')}`] : []),
  ];
  return {
    count: entries.length + remove.length,
    UpdateExpression: clauses.join(' '),
    ExpressionAttributeNames: Object.fromEntries([
      ...entries.map(([k], i) => [`#f${i}`, k]),
      ...remove.map((k, i) => [`#r${i}`, k]),
    ]) as Record<string, string>,
    // DynamoDB refuses an empty map: a REMOVE-only update has no values.
    ...(entries.length > 0 || !removing
      ? { ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])) as Item }
      : {}),
  };
}

/**
 * Updates the item at `Key` if it exists (`attribute_exists(pk)` unless `update` brings its own
 * condition): its attributes after the update, undefined when there was none or the condition failed.
 */
export async function updateExisting(
  client: DynamoDBDocumentClient,
  TableName: string,
  Key: Key,
  update: {
    UpdateExpression: string;
    ConditionExpression?: string;
    ExpressionAttributeNames?: Record<string, string>;
    ExpressionAttributeValues?: Item;
  },
): Promise<Item | undefined> {
  try {
    const { Attributes } = await client.send(
      new UpdateCommand({
        TableName,
        Key,
        ConditionExpression: 'attribute_exists(pk)',
        ...update,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return Attributes;
  } catch (error) {
    if (isConditionFailure(error)) return undefined;
    throw error;
  }
}

/**
 * Sets `changes` on an existing item only while its `status` is one of `when` (a guarded move of a
 * workflow-owned item: a group import, a blocklist import); the item after, or undefined when it is gone
 * or in another status.
 */
export function updateWhileStatus(
  client: DynamoDBDocumentClient,
  TableName: string,
  Key: Key,
  changes: object,
  when: readonly string[],
): Promise<Item | undefined> {
  const set = setFields(changes);
  return updateExisting(client, TableName, Key, {
    UpdateExpression: set.UpdateExpression,
    ConditionExpression: `#status IN (${when.map((_, i) => `:w${i}`).join(', ')})`,
    ExpressionAttributeNames: { '#status': 'status', ...set.ExpressionAttributeNames },
    ExpressionAttributeValues: {
      ...set.ExpressionAttributeValues,
      ...Object.fromEntries(when.map((status, i) => [`:w${i}`, status])),
    },
  });
}

/** One transaction of `items`, tried again while it is cancelled only by a concurrent one. */
export function transactWrite(
  client: DynamoDBDocumentClient,
  items: NonNullable<TransactWriteCommandInput['TransactItems']>,
) {
  return retryOnTransactionConflict(() => client.send(new TransactWriteCommand({ TransactItems: items })));
}

/** Deletes the item if it exists: true when it did, false when there was none. */
export async function deleteExisting(client: DynamoDBDocumentClient, TableName: string, Key: Key) {
  return conditionalWrite(() =>
    client.send(new DeleteCommand({ TableName, Key, ConditionExpression: 'attribute_exists(pk)' })),
  );
}

/**
 * A Query of one partition: `pk` is the table's partition key, or gsi1's with `index`. The sort key
 * starts with `prefix`, or lies `between` two values (inclusive), or anything when neither is given.
 */
export interface PartitionQuery {
  pk: string;
  prefix?: string;
  between?: readonly [string, string];
  index?: 'gsi1';
  /** Highest sort key first. */
  newestFirst?: boolean;
  filter?: { expression: string; names?: Record<string, string>; values?: Item };
  projection?: string;
  limit?: number;
}

function queryInput(TableName: string, query: PartitionQuery, start?: Item): QueryCommandInput {
  const [pkName, skName] = query.index ? ['gsi1pk', 'gsi1sk'] : ['pk', 'sk'];
  const sort =
    query.prefix !== undefined
      ? { condition: ` AND begins_with(${skName}, :prefix)`, values: { ':prefix': query.prefix } }
      : query.between
        ? {
            condition: ` AND ${skName} BETWEEN :lower AND :upper`,
            values: { ':lower': query.between[0], ':upper': query.between[1] },
          }
        : { condition: '', values: {} };
  const { filter } = query;
  return {
    TableName,
    ...(query.index ? { IndexName: query.index } : {}),
    KeyConditionExpression: `${pkName} = :pk${sort.condition}`,
    ...(filter ? { FilterExpression: filter.expression } : {}),
    ...(filter?.names ? { ExpressionAttributeNames: filter.names } : {}),
    ExpressionAttributeValues: { ':pk': query.pk, ...sort.values, ...filter?.values },
    ...(query.projection ? { ProjectionExpression: query.projection } : {}),
    ...(query.newestFirst ? { ScanIndexForward: false } : {}),
    ...(query.limit === undefined ? {} : { Limit: query.limit }),
    ...(start ? { ExclusiveStartKey: start } : {}),
  };
}

/** One Query call from `start`: its items and the key to go on from (none at the partition's end). */
export async function queryOnce(
  client: DynamoDBDocumentClient,
  TableName: string,
  query: PartitionQuery,
  start?: Item,
): Promise<{ items: Item[]; lastKey?: Item }> {
  const { Items, LastEvaluatedKey } = await client.send(
    new QueryCommand(queryInput(TableName, query, start)),
  );
  return { items: Items ?? [], ...(LastEvaluatedKey ? { lastKey: LastEvaluatedKey } : {}) };
}

/** The pages of a Query, one after the other until the partition's end (or the caller stops). */
export async function* queryPages(client: DynamoDBDocumentClient, TableName: string, query: PartitionQuery) {
  let start: Item | undefined;
  do {
    const page = await queryOnce(client, TableName, query, start);
    yield page;
    start = page.lastKey;
  } while (start);
}

/** Every item of the Query, all pages read. */
export async function queryAll<T>(
  client: DynamoDBDocumentClient,
  TableName: string,
  query: PartitionQuery,
  toItem: (item: Item) => T,
): Promise<T[]> {
  const all: T[] = [];
  for await (const page of queryPages(client, TableName, query)) all.push(...page.items.map(toItem));
  return all;
}

/**
 * One page of the items of partition `pk` whose sort key starts with `prefix` (or as `query` says
 * otherwise), in sort-key order. The cursor is checked to belong to `pk` (decodeCursor), so it cannot
 * lead into another account's items.
 */
export async function queryPrefixPage<T>(
  client: DynamoDBDocumentClient,
  TableName: string,
  query: Omit<PartitionQuery, 'limit'> & { page: { limit: number; cursor?: string } },
  toItem: (item: Item) => T,
): Promise<Page<T>> {
  const { page, ...partition } = query;
  const start = page.cursor === undefined ? undefined : decodeCursor(page.cursor, partition.pk);
  const { items, lastKey } = await queryOnce(client, TableName, { ...partition, limit: page.limit }, start);
  return { items: items.map(toItem), ...(lastKey ? { cursor: encodeCursor(lastKey) } : {}) };
}
