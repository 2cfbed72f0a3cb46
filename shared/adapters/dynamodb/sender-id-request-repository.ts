import {
  type DynamoDBDocumentClient,
  GetCommand,
  QueryCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SenderIdRequest } from '#domain/sender/sender-id-request';
import type { SenderIdRequestRepository } from '#ports/sender-id-requests';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionFailure } from './errors';
import { senderRequestKey, senderRequestPointerKey, senderRequestStatusKey } from './platform-keys';

/**
 * Sender id requests live in their account's partition (`ACCOUNT#<id>` / `SENDERREQ#<id>`) with gsi1
 * keys `SENDERREQ#<status>` / `<createdAt>#<id>` (the operator's queue per status, a Query, not a
 * scan). A pointer item `SENDERREQ#<id>` names the account, so the operator can act on an id alone;
 * both are written in one transaction.
 */
export function makeDynamoSenderIdRequestRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): SenderIdRequestRepository {
  const { client, tableName: TableName } = options;

  async function get(id: string): Promise<SenderIdRequest | undefined> {
    const pointer = await client.send(new GetCommand({ TableName, Key: senderRequestPointerKey(id) }));
    if (!pointer.Item) return undefined;
    const { Item } = await client.send(
      new GetCommand({
        TableName,
        Key: senderRequestKey(String(pointer.Item.accountId), id),
        ConsistentRead: true,
      }),
    );
    return Item ? toRequest(Item) : undefined;
  }

  return {
    get,

    async create(request) {
      await client.send(
        new TransactWriteCommand({
          TransactItems: [
            {
              Put: {
                TableName,
                Item: {
                  ...senderRequestKey(request.accountId, request.id),
                  ...senderRequestStatusKey(request.status, request.createdAt, request.id),
                  entityType: 'senderIdRequest',
                  version: 1,
                  ...request,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
            {
              Put: {
                TableName,
                Item: {
                  ...senderRequestPointerKey(request.id),
                  entityType: 'senderIdRequestPointer',
                  version: 1,
                  accountId: request.accountId,
                },
                ConditionExpression: 'attribute_not_exists(pk)',
              },
            },
          ],
        }),
      );
    },

    async listForAccount(accountId) {
      const items: SenderIdRequest[] = [];
      let ExclusiveStartKey: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName,
            KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
            ExpressionAttributeValues: { ':pk': senderRequestKey(accountId, '').pk, ':prefix': 'SENDERREQ#' },
            ExclusiveStartKey,
          }),
        );
        items.push(...(page.Items ?? []).map(toRequest));
        ExclusiveStartKey = page.LastEvaluatedKey;
      } while (ExclusiveStartKey);
      return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },

    async listByStatus(status, page) {
      const gsi1pk = senderRequestStatusKey(status, '', '').gsi1pk;
      const result = await client.send(
        new QueryCommand({
          TableName,
          IndexName: 'gsi1',
          KeyConditionExpression: 'gsi1pk = :pk',
          ExpressionAttributeValues: { ':pk': gsi1pk },
          Limit: page.limit,
          ...(page.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(page.cursor, gsi1pk) }),
        }),
      );
      return {
        items: (result.Items ?? []).map(toRequest),
        ...(result.LastEvaluatedKey ? { cursor: encodeCursor(result.LastEvaluatedKey) } : {}),
      };
    },

    async decide(id, decision) {
      const current = await get(id);
      if (current?.status !== 'pending') return current;
      const { gsi1pk, gsi1sk } = senderRequestStatusKey(decision.status, current.createdAt, id);
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName,
            Key: senderRequestKey(current.accountId, id),
            UpdateExpression:
              'SET #status = :status, decidedAt = :at, decidedBy = :by, gsi1pk = :gsi1pk, gsi1sk = :gsi1sk' +
              (decision.status === 'rejected' ? ', reason = :reason' : ''),
            ConditionExpression: '#status = :pending',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: {
              ':status': decision.status,
              ':pending': 'pending',
              ':at': decision.at,
              ':by': decision.by,
              ':gsi1pk': gsi1pk,
              ':gsi1sk': gsi1sk,
              ...(decision.status === 'rejected' ? { ':reason': decision.reason } : {}),
            },
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? toRequest(Attributes) : undefined;
      } catch (error) {
        // Decided concurrently by someone else: answer what is stored now.
        if (isConditionFailure(error)) return get(id);
        throw error;
      }
    },
  };
}

function toRequest(item: Record<string, unknown>): SenderIdRequest {
  const status = item.status === 'approved' || item.status === 'rejected' ? item.status : 'pending';
  return {
    id: String(item.id),
    accountId: String(item.accountId),
    senderId: String(item.senderId),
    status,
    createdAt: String(item.createdAt),
    ...(item.note === undefined ? {} : { note: String(item.note) }),
    ...(item.decidedAt === undefined ? {} : { decidedAt: String(item.decidedAt) }),
    ...(item.decidedBy === undefined ? {} : { decidedBy: String(item.decidedBy) }),
    ...(item.reason === undefined ? {} : { reason: String(item.reason) }),
  };
}
