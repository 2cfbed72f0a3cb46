import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { PendingPhoneVerification, PhoneVerificationRepository } from '#ports/phone-verification';
import { conditionalWrite } from './errors';
import { updateExisting } from './item-operations';
import { phoneCodesDayKey, phoneCodesNumberDayKey, phoneVerificationKey } from './keys';

function toPending(item: Record<string, unknown>): PendingPhoneVerification {
  return {
    accountId: String(item.accountId),
    number: String(item.number),
    codeHash: String(item.codeHash),
    attempts: Number(item.attempts ?? 0),
    sentAt: String(item.sentAt),
    expiresAt: Number(item.expiresAt),
  };
}

/**
 * `ACCOUNT#<id>` / `PHONEVERIFY`: the cooldown, the lock and the attempt count are conditions of the
 * writes themselves, so concurrent requests cannot send two codes at once or try more than the allowed
 * number of codes. `expiresAt` is checked in every condition: the TTL deletes lazily.
 */
export function makeDynamoPhoneVerificationRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): PhoneVerificationRepository {
  const { client, tableName: TableName } = options;
  return {
    async get(accountId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: phoneVerificationKey(accountId), ConsistentRead: true }),
      );
      return Item ? toPending(Item) : undefined;
    },

    start(pending, guard) {
      return conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName,
            Item: { ...phoneVerificationKey(pending.accountId), entityType: 'phoneVerification', ...pending },
            ConditionExpression:
              'attribute_not_exists(pk) OR expiresAt <= :now OR (attempts < :max AND sentAt <= :resendAfter)',
            ExpressionAttributeValues: {
              ':now': guard.now,
              ':max': guard.maxAttempts,
              ':resendAfter': guard.resendAfter,
            },
          }),
        ),
      );
    },

    async attempt(accountId, now, maxAttempts) {
      const attributes = await updateExisting(client, TableName, phoneVerificationKey(accountId), {
        UpdateExpression: 'ADD attempts :one',
        ConditionExpression: 'attribute_exists(pk) AND expiresAt > :now AND attempts < :max',
        ExpressionAttributeValues: { ':one': 1, ':now': now, ':max': maxAttempts },
      });
      return attributes ? toPending(attributes) : undefined;
    },

    consume(accountId, codeHash) {
      return conditionalWrite(() =>
        client.send(
          new DeleteCommand({
            TableName,
            Key: phoneVerificationKey(accountId),
            ConditionExpression: 'codeHash = :h',
            ExpressionAttributeValues: { ':h': codeHash },
          }),
        ),
      );
    },

    async remove(accountId) {
      await client.send(new DeleteCommand({ TableName, Key: phoneVerificationKey(accountId) }));
    },

    async countDaily({ accountId, number, day }, limits) {
      // The counters outlive their day by one, then the TTL deletes them.
      const expiresAt = Math.floor(Date.parse(`${day}T00:00:00Z`) / 1000) + 2 * 86_400;
      const count = (Key: Record<string, string>, limit: number) =>
        conditionalWrite(() =>
          client.send(
            new UpdateCommand({
              TableName,
              Key,
              UpdateExpression: 'ADD n :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
              ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
              ExpressionAttributeValues: { ':one': 1, ':limit': limit, ':expiresAt': expiresAt },
            }),
          ),
        );
      if (!(await count(phoneCodesDayKey(accountId, day), limits.perAccount))) return 'account';
      if (!(await count(phoneCodesNumberDayKey(number, day), limits.perNumber))) return 'number';
      return 'ok';
    },
  };
}
