import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { GlobalBlockEntry, GlobalBlocklistRepository } from '#ports/global-blocklist';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionFailure } from './errors';
import { globalBlockKey } from './keys';

/**
 * The platform's blocklist: one item per number under pk `PLATFORM`, sk `BLOCK#<e164>` (the key the
 * send path's `BlocklistRepository.find` reads). Listing is a Query on that partition, in number order.
 */
export function makeDynamoGlobalBlocklistRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): GlobalBlocklistRepository {
  const { client, tableName: TableName } = options;
  const pk = globalBlockKey('').pk;

  return {
    async list(page) {
      const result = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': 'BLOCK#' },
          Limit: page.limit,
          ...(page.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(page.cursor, pk) }),
        }),
      );
      return {
        items: (result.Items ?? []).map(toEntry),
        ...(result.LastEvaluatedKey ? { cursor: encodeCursor(result.LastEvaluatedKey) } : {}),
      };
    },

    async put(entry) {
      try {
        await client.send(
          new PutCommand({
            TableName,
            Item: { ...globalBlockKey(entry.number), entityType: 'globalBlock', version: 1, ...entry },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
        return { created: true, entry };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      // Already blocked: keep who/when it was first blocked, update the reason.
      const at = entry.updatedAt ?? entry.createdAt;
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName,
          Key: globalBlockKey(entry.number),
          UpdateExpression:
            entry.reason === undefined ? 'SET updatedAt = :at' : 'SET updatedAt = :at, reason = :reason',
          ExpressionAttributeValues: {
            ':at': at,
            ...(entry.reason === undefined ? {} : { ':reason': entry.reason }),
          },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return { created: false, entry: toEntry(Attributes ?? {}) };
    },

    async remove(e164) {
      try {
        await client.send(
          new DeleteCommand({
            TableName,
            Key: globalBlockKey(e164),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}

function toEntry(item: Record<string, unknown>): GlobalBlockEntry {
  return {
    number: String(item.number),
    createdAt: String(item.createdAt),
    createdBy: String(item.createdBy),
    ...(item.reason === undefined ? {} : { reason: String(item.reason) }),
    ...(item.updatedAt === undefined ? {} : { updatedAt: String(item.updatedAt) }),
  };
}
