import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { FileDropRecord, FileDropRepository } from '#ports/file-drops';

/** One item per sidecar key, in the account's partition (docs/file-drops.md). */
export const fileDropKey = (accountId: string, key: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `DROP#${key}`,
});

/** Drop records live as long as the dropped objects (the bucket's 30-day expiry rule). */
const DROP_TTL_SECONDS = 30 * 24 * 3600;

export function makeDynamoFileDropRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): FileDropRepository {
  const { client, tableName: TableName } = options;
  return {
    async record(drop) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...fileDropKey(drop.accountId, drop.key),
            entityType: 'fileDrop',
            version: 1,
            ...drop,
            expiresAt: Math.floor(Date.parse(drop.at) / 1000) + DROP_TTL_SECONDS,
          },
        }),
      );
    },

    async get(accountId, key) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: fileDropKey(accountId, key), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { pk: _p, sk: _s, entityType: _e, version: _v, expiresAt: _x, ...drop } = Item;
      return drop as FileDropRecord;
    },
  };
}
