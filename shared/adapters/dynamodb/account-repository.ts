import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { Conflict, InsufficientCredit, NotFound } from '#domain/errors';
import type { AccountChanges, AccountRepository, LedgerEntry } from '#ports/account-repository';
import { accountItem, apiKeyItem, ledgerItem, toAccount, toLedgerEntry } from './account-item';
import { failedConditions } from './errors';
import { queryOnce, queryPrefixPage, setFields, transactWrite, updateExisting } from './item-operations';
import { accountKey, operationKey, usernameKey } from './keys';

export function makeDynamoAccountRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): AccountRepository {
  const { client, tableName: TableName } = options;

  async function get(accountId: string) {
    const { Item } = await client.send(
      new GetCommand({ TableName, Key: accountKey(accountId), ConsistentRead: true }),
    );
    return Item ? toAccount(Item) : undefined;
  }

  /** A guard item that makes a replayed operation (same id) fail its condition and change nothing. */
  const guard = (accountId: string, operationId: string) => ({
    Put: {
      TableName,
      Item: { ...operationKey(accountId, operationId), entityType: 'operation', version: 1 },
      ConditionExpression: 'attribute_not_exists(pk)',
    },
  });

  return {
    get,

    async create(account, apiKey) {
      try {
        await transactWrite(client, [
          {
            Put: {
              TableName,
              Item: accountItem(account),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName,
              Item: apiKeyItem(apiKey),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(account.username
            ? [
                {
                  Put: {
                    TableName,
                    Item: {
                      ...usernameKey(account.username),
                      entityType: 'username',
                      version: 1,
                      accountId: account.id,
                    },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ]
            : []),
        ]);
      } catch (error) {
        if (failedConditions(error).includes(2))
          throw new Conflict('USERNAME_TAKEN', 'This username is taken');
        throw error;
      }
    },

    async credit(entry) {
      try {
        await transactWrite(client, [
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
          { Put: { TableName, Item: ledgerItem(entry) } },
          guard(entry.accountId, entry.id),
        ]);
      } catch (error) {
        const failed = failedConditions(error);
        if (failed.includes(2)) return Number((await get(entry.accountId))?.balance ?? 0); // replay
        if (failed.includes(0)) {
          if (!(await get(entry.accountId))) throw new NotFound('Account not found');
          throw new InsufficientCredit('The correction would take the balance below zero');
        }
        throw error;
      }
      return Number((await get(entry.accountId))?.balance ?? 0);
    },

    async update(accountId, changes: AccountChanges) {
      const { count, ...set } = setFields(changes);
      if (count === 0) return get(accountId);
      const updated = await updateExisting(client, TableName, accountKey(accountId), set);
      return updated ? toAccount(updated) : undefined;
    },

    async transfer({ id, from, to, amount, by, at }) {
      const entry = (accountId: string, sign: 1 | -1, kind: LedgerEntry['kind']): LedgerEntry => ({
        id: `${id}:${kind}`,
        accountId,
        amount: sign * amount,
        kind,
        reason: sign > 0 ? `Credit transfer from ${from}` : `Credit transfer to ${to}`,
        by,
        ref: id,
        at,
      });
      try {
        await transactWrite(client, [
          guard(from, `transfer:${id}`),
          {
            Update: {
              TableName,
              Key: accountKey(from),
              UpdateExpression: 'ADD balance :minus',
              ConditionExpression: 'attribute_exists(pk) AND balance >= :amount',
              ExpressionAttributeValues: { ':minus': -amount, ':amount': amount },
            },
          },
          {
            Update: {
              TableName,
              Key: accountKey(to),
              UpdateExpression: 'ADD balance :amount',
              ConditionExpression: 'attribute_exists(pk)',
              ExpressionAttributeValues: { ':amount': amount },
            },
          },
          { Put: { TableName, Item: ledgerItem(entry(from, -1, 'transfer-out')) } },
          { Put: { TableName, Item: ledgerItem(entry(to, 1, 'transfer-in')) } },
        ]);
      } catch (error) {
        const failed = failedConditions(error);
        if (failed.includes(0)) return; // a replayed transfer: already done once
        if (failed.includes(1)) throw new InsufficientCredit('The balance does not cover this transfer');
        if (failed.includes(2)) throw new NotFound('Account not found');
        throw error;
      }
    },

    ledger(accountId, page) {
      const pk = accountKey(accountId).pk;
      return queryPrefixPage(
        client,
        TableName,
        { pk, prefix: 'LEDGER#', newestFirst: true, page },
        toLedgerEntry,
      );
    },

    async findByUsername(username) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: usernameKey(username) }));
      return Item ? get(String(Item.accountId)) : undefined;
    },

    async listSubusers(parentId) {
      const pk = `ACCOUNT#${parentId}#SUBUSERS`;
      const { items } = await queryOnce(client, TableName, { pk, index: 'gsi1' });
      return items.map(toAccount);
    },
  };
}

export { ledgerItem };
