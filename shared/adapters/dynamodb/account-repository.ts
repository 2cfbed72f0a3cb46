import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { Account } from '#domain/account/account';
import { NotFound } from '#domain/errors';
import type { AccountRepository, LedgerEntry, StoredApiKey } from '#ports/account-repository';
import { isConditionFailure } from './errors';
import { accountKey, apiKeyKey, ledgerKey } from './keys';

export function makeDynamoAccountRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): AccountRepository {
  const { client, tableName: TableName } = options;
  return {
    async get(accountId) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: accountKey(accountId) }));
      return Item ? toAccount(Item) : undefined;
    },

    async create(account, apiKey) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: { ...accountKey(account.id), entityType: 'account', version: 1, ...account },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            { Put: { TableName, Item: apiKeyItem(apiKey), ConditionExpression: 'attribute_not_exists(pk)' } },
          ],
        }),
      );
    },

    async credit(entry) {
      try {
        await client.send(
          new TransactWriteCommand({
            TransactItems: [
              {
                Update: {
                  TableName,
                  Key: accountKey(entry.accountId),
                  UpdateExpression: 'ADD balance :amount',
                  // A correction may not take the balance below zero.
                  ConditionExpression:
                    entry.amount < 0 ? 'attribute_exists(pk) AND balance >= :debit' : 'attribute_exists(pk)',
                  ExpressionAttributeValues:
                    entry.amount < 0
                      ? { ':amount': entry.amount, ':debit': -entry.amount }
                      : { ':amount': entry.amount },
                },
              },
              {
                Put: { TableName, Item: ledgerItem(entry), ConditionExpression: 'attribute_not_exists(pk)' },
              },
            ],
          }),
        );
      } catch (error) {
        if (isConditionFailure(error))
          throw new NotFound('Account not found or balance too low', { cause: error });
        throw error;
      }
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: accountKey(entry.accountId), ConsistentRead: true }),
      );
      return Number(Item?.balance ?? 0);
    },
  };
}

export function ledgerItem(entry: LedgerEntry) {
  return {
    ...ledgerKey(entry.accountId, entry.at, entry.id),
    entityType: 'ledgerEntry',
    version: 1,
    ...entry,
  };
}

export function apiKeyItem(key: StoredApiKey) {
  return {
    ...apiKeyKey(key.keyId),
    gsi1pk: `ACCOUNT#${key.accountId}#KEYS`,
    gsi1sk: key.createdAt,
    entityType: 'apiKey',
    version: 1,
    ...key,
  };
}

function toAccount(item: Record<string, unknown>): Account {
  return {
    id: String(item.id),
    name: String(item.name),
    status: item.status === 'suspended' ? 'suspended' : 'active',
    country: String(item.country),
    timezone: String(item.timezone),
    currency: String(item.currency),
    balance: Number(item.balance ?? 0),
    senderIds: Array.isArray(item.senderIds) ? item.senderIds.map(String) : [],
    maxParts: Number(item.maxParts),
    createdAt: String(item.createdAt),
  };
}
