import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRepository } from '#ports/account-repository';
import { apiKeyItem, toApiKey } from './account-item';
import { conditionalWrite } from './errors';
import { queryOnce } from './item-operations';
import { apiKeyKey } from './keys';

export function makeDynamoApiKeyRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ApiKeyRepository {
  const { client, tableName: TableName } = options;
  return {
    async get(keyId) {
      // Consistent: a key revoked a moment ago must already be refused.
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: apiKeyKey(keyId), ConsistentRead: true }),
      );
      return Item ? toApiKey(Item) : undefined;
    },

    async put(key) {
      await client.send(
        new PutCommand({ TableName, Item: apiKeyItem(key), ConditionExpression: 'attribute_not_exists(pk)' }),
      );
    },

    async list(accountId) {
      const query = { pk: `ACCOUNT#${accountId}#KEYS`, index: 'gsi1', newestFirst: true } as const;
      const { items } = await queryOnce(client, TableName, query);
      return items.map(toApiKey);
    },

    async revoke(accountId, keyId) {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: apiKeyKey(keyId),
            UpdateExpression: 'SET #status = :revoked',
            // Only the key's own account can revoke it; another account's key id is "not found".
            ConditionExpression: 'accountId = :accountId',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':revoked': 'revoked', ':accountId': accountId },
          }),
        ),
      );
    },
  };
}
