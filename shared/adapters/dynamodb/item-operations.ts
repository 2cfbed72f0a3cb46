import { DeleteCommand, type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Page } from '#ports/account-repository';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionFailure } from './errors';

type Key = Record<string, string>;

/**
 * `SET #f0 = :v0, …` for the defined fields of `changes` (undefined ones are left alone), with their
 * names and values; callers add their own condition and its names/values beside these.
 */
export function setFields(changes: object) {
  const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
  return {
    count: entries.length,
    UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
    ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
    ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
  };
}

/** Deletes the item if it exists: true when it did, false when there was none. */
export async function deleteExisting(client: DynamoDBDocumentClient, TableName: string, Key: Key) {
  try {
    await client.send(new DeleteCommand({ TableName, Key, ConditionExpression: 'attribute_exists(pk)' }));
    return true;
  } catch (error) {
    if (isConditionFailure(error)) return false;
    throw error;
  }
}

/**
 * One page of the items of partition `pk` whose sort key starts with `prefix`, in sort-key order. The
 * cursor is checked to belong to `pk` (decodeCursor), so it cannot lead into another account's items.
 */
export async function queryPrefixPage<T>(
  client: DynamoDBDocumentClient,
  TableName: string,
  query: { pk: string; prefix: string; page: { limit: number; cursor?: string } },
  toItem: (item: Record<string, unknown>) => T,
): Promise<Page<T>> {
  const { pk, prefix, page } = query;
  const { Items, LastEvaluatedKey } = await client.send(
    new QueryCommand({
      TableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
      ExpressionAttributeValues: { ':pk': pk, ':prefix': prefix },
      Limit: page.limit,
      ...(page.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(page.cursor, pk) }),
    }),
  );
  return {
    items: (Items ?? []).map(toItem),
    ...(LastEvaluatedKey ? { cursor: encodeCursor(LastEvaluatedKey) } : {}),
  };
}
