import { type DynamoDBDocumentClient, GetCommand, TransactWriteCommand } from '@aws-sdk/lib-dynamodb';
import type { SenderIdRequest } from '#domain/sender/sender-id-request';
import type { SenderIdRequestRepository } from '#ports/sender-id-requests';
import { queryAll, queryPrefixPage, setFields, updateExisting } from './item-operations';
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
      const pk = senderRequestKey(accountId, '').pk;
      const items = await queryAll(client, TableName, { pk, prefix: 'SENDERREQ#' }, toRequest);
      return items.sort((a, b) => a.createdAt.localeCompare(b.createdAt) || a.id.localeCompare(b.id));
    },

    listByStatus(status, page) {
      const gsi1pk = senderRequestStatusKey(status, '', '').gsi1pk;
      return queryPrefixPage(client, TableName, { pk: gsi1pk, index: 'gsi1', page }, toRequest);
    },

    async decide(id, decision) {
      const current = await get(id);
      if (current?.status !== 'pending') return current;
      const { count: _count, ...set } = setFields({
        status: decision.status,
        decidedAt: decision.at,
        decidedBy: decision.by,
        ...senderRequestStatusKey(decision.status, current.createdAt, id),
        reason: decision.status === 'rejected' ? decision.reason : undefined,
      });
      const updated = await updateExisting(client, TableName, senderRequestKey(current.accountId, id), {
        ...set,
        ConditionExpression: '#status = :pending',
        ExpressionAttributeNames: { '#status': 'status', ...set.ExpressionAttributeNames },
        ExpressionAttributeValues: { ':pending': 'pending', ...set.ExpressionAttributeValues },
      });
      // Decided concurrently by someone else: answer what is stored now.
      return updated ? toRequest(updated) : get(id);
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
