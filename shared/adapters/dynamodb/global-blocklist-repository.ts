import { type DynamoDBDocumentClient, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { GlobalBlockEntry, GlobalBlocklistRepository } from '#ports/global-blocklist';
import { isConditionFailure } from './errors';
import { deleteExisting, queryPrefixPage, setFields } from './item-operations';
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
    list(page) {
      return queryPrefixPage(client, TableName, { pk, prefix: 'BLOCK#', page }, toEntry);
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
      const { count: _count, ...set } = setFields({
        updatedAt: entry.updatedAt ?? entry.createdAt,
        reason: entry.reason,
      });
      const { Attributes } = await client.send(
        new UpdateCommand({ TableName, Key: globalBlockKey(entry.number), ...set, ReturnValues: 'ALL_NEW' }),
      );
      return { created: false, entry: toEntry(Attributes ?? {}) };
    },

    remove(e164) {
      return deleteExisting(client, TableName, globalBlockKey(e164));
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
