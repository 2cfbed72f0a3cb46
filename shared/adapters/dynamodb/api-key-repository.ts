import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ApiKeyRepository } from '#ports/account-repository';
import { apiKeyKey } from './keys';

export function makeDynamoApiKeyRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ApiKeyRepository {
  return {
    async get(keyId) {
      const { Item } = await options.client.send(
        new GetCommand({ TableName: options.tableName, Key: apiKeyKey(keyId) }),
      );
      if (!Item) return undefined;
      return {
        keyId: String(Item.keyId),
        accountId: String(Item.accountId),
        secretHash: String(Item.secretHash),
        status: Item.status === 'active' ? 'active' : 'revoked',
        createdAt: String(Item.createdAt),
      };
    },
  };
}
