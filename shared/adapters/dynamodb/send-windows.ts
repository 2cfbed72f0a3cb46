import { type DynamoDBDocumentClient, GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { SendWindows } from '#ports/send-windows';
import { isConditionFailure } from './errors';

const windowKey = (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'SENDWINDOW' });

/**
 * One item per account holding the end of its last booking; a booking is an optimistic conditional
 * update (one write per chunk of up to 1 000 messages, not per message).
 */
export function makeDynamoSendWindows(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SendWindows {
  const { client, tableName: TableName } = options;
  return {
    async book(accountId, nowMs, lengthMs) {
      for (let attempt = 0; attempt < 20; attempt++) {
        const { Item } = await client.send(
          new GetCommand({ TableName, Key: windowKey(accountId), ConsistentRead: true }),
        );
        const previous = typeof Item?.nextFree === 'number' ? Item.nextFree : undefined;
        const start = Math.max(nowMs, previous ?? 0);
        try {
          await client.send(
            new UpdateCommand({
              TableName,
              Key: windowKey(accountId),
              UpdateExpression: 'SET nextFree = :end, expiresAt = :expires',
              ConditionExpression:
                previous === undefined ? 'attribute_not_exists(nextFree)' : 'nextFree = :previous',
              ExpressionAttributeValues: {
                ':end': start + lengthMs,
                ':expires': Math.ceil((start + lengthMs) / 1000) + 7 * 24 * 3600,
                ...(previous === undefined ? {} : { ':previous': previous }),
              },
            }),
          );
          return start;
        } catch (error) {
          if (!isConditionFailure(error)) throw error;
        }
      }
      throw new Error('Could not book a sending window (contention)');
    },
  };
}
