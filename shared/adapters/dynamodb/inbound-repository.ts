import { BatchGetCommand, type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import {
  type InboundMessage,
  UNMATCHED_INBOUND_TTL_DAYS,
  type UnmatchedInbound,
} from '#domain/inbound/inbound-message';
import { REPLY_ROUTE_TTL_SECONDS } from '#domain/inbound/reply-address';
import type { DedicatedNumbers, InboundRepository, ReplyRoutes, UnmatchedInboundStore } from '#ports/inbound';
import { conditionalWrite, isConditionFailure } from './errors';
import { deleteExisting, queryPrefixPage } from './item-operations';
import {
  accountBlockKey,
  dedicatedNumberKey,
  dedicatedNumberListKey,
  inboundByNumberKey,
  inboundKey,
  replyRouteKey,
  unmatchedInboundKey,
} from './keys';

type Options = { client: DynamoDBDocumentClient; tableName: string };

/** Replies of an account: one item each in the account's inbox partition (+ gsi1 by replier). */
export function makeDynamoInboundRepository({ client, tableName: TableName }: Options): InboundRepository {
  return {
    async save(inbound) {
      return conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName,
            Item: {
              ...inboundKey(inbound.accountId, inbound.receivedAt, inbound.id),
              ...inboundByNumberKey(inbound.accountId, inbound.from, inbound.receivedAt, inbound.id),
              entityType: 'inbound',
              version: 1,
              ...inbound,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async list(accountId, filter) {
      const byNumber = filter.number !== undefined;
      const partition = byNumber
        ? inboundByNumberKey(accountId, filter.number ?? '', '', '').gsi1pk
        : inboundKey(accountId, '', '').pk;
      // Sort keys start with the ISO time: a period is a key range ('~' sorts after '#<id>').
      // `<to>#<id>` sorts after `<to>`, so BETWEEN leaves out replies received at exactly `to`.
      const between = [filter.from ?? '0', filter.to ?? '~'] as const;
      const query = { pk: partition, between, newestFirst: true, page: filter };
      return queryPrefixPage(client, TableName, byNumber ? { ...query, index: 'gsi1' } : query, toInbound);
    },

    async optOut({ accountId, number, reason, at, by }) {
      try {
        await client.send(
          new PutCommand({
            TableName,
            Item: {
              ...accountBlockKey(accountId, number),
              entityType: 'accountBlock',
              version: 1,
              accountId,
              number,
              reason,
              createdAt: at,
              createdBy: by,
            },
            // A number the account blocked itself keeps its own entry and reason.
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}

function toInbound(item: Record<string, unknown>): InboundMessage {
  return {
    id: String(item.id),
    accountId: String(item.accountId),
    from: String(item.from),
    to: String(item.to),
    text: String(item.text),
    receivedAt: String(item.receivedAt),
    carrier: String(item.carrier),
    carrierId: String(item.carrierId),
    routedBy: item.routedBy === 'dedicated-number' ? 'dedicated-number' : 'last-sent',
    ...(item.inReplyTo === undefined ? {} : { inReplyTo: String(item.inReplyTo) }),
    optOut: item.optOut === true,
  };
}

/**
 * Reply routing: one item per (our number, recipient) holding the last account that sent there, written
 * at submission for numeric senders only, expiring after 30 days; and the dedicated-number items. A
 * reply reads both in one BatchGetItem.
 */
export function makeDynamoReplyRoutes({ client, tableName: TableName }: Options): ReplyRoutes {
  return {
    async recordLastSent({ address, to, accountId, messageId, at }) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...replyRouteKey(address, to),
            entityType: 'replyRoute',
            version: 1,
            accountId,
            messageId,
            at,
            expiresAt: Math.floor(Date.parse(at) / 1000) + REPLY_ROUTE_TTL_SECONDS,
          },
        }),
      );
    },

    async find(address, from) {
      const dedicated = dedicatedNumberKey(address);
      const route = replyRouteKey(address, from);
      const { Responses } = await client.send(
        new BatchGetCommand({
          RequestItems: { [TableName]: { Keys: [dedicated, route], ConsistentRead: true } },
        }),
      );
      const items = Responses?.[TableName] ?? [];
      const owner = items.find((i) => i.pk === dedicated.pk);
      if (owner) return { accountId: String(owner.accountId), routedBy: 'dedicated-number' };
      const last = items.find((i) => i.pk === route.pk);
      // TTL deletion lags; an expired route is treated as gone.
      if (!last || Number(last.expiresAt) * 1000 < Date.now()) return undefined;
      return { accountId: String(last.accountId), routedBy: 'last-sent', messageId: String(last.messageId) };
    },
  };
}

export function makeDynamoDedicatedNumbers({ client, tableName: TableName }: Options): DedicatedNumbers {
  return {
    list(page) {
      return queryPrefixPage(client, TableName, { pk: 'NUMBERS', index: 'gsi1', page }, (i) => ({
        number: String(i.number),
        accountId: String(i.accountId),
        assignedAt: String(i.assignedAt),
        assignedBy: String(i.assignedBy),
      }));
    },

    async put(entry) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...dedicatedNumberKey(entry.number),
            ...dedicatedNumberListKey(entry.number),
            entityType: 'dedicatedNumber',
            version: 1,
            ...entry,
          },
        }),
      );
    },

    remove(number) {
      return deleteExisting(client, TableName, dedicatedNumberKey(number));
    },
  };
}

/**
 * Replies that matched no account, for the operator: one `PLATFORM#INBOUND#UNMATCHED` partition (rare:
 * far below a partition's write limit), sorted by arrival, each expiring after 30 days (TTL).
 */
export function makeDynamoUnmatchedInbound({ client, tableName: TableName }: Options): UnmatchedInboundStore {
  const pk = unmatchedInboundKey('', '').pk;
  return {
    async save(reply) {
      return conditionalWrite(() =>
        client.send(
          new PutCommand({
            TableName,
            Item: {
              ...unmatchedInboundKey(reply.receivedAt, reply.id),
              entityType: 'unmatchedInbound',
              version: 1,
              ...reply,
              expiresAt:
                Math.floor(Date.parse(reply.receivedAt) / 1000) + UNMATCHED_INBOUND_TTL_DAYS * 86_400,
            },
            ConditionExpression: 'attribute_not_exists(pk)',
          }),
        ),
      );
    },

    async list(page) {
      return queryPrefixPage(client, TableName, { pk, newestFirst: true, page }, toUnmatched);
    },
  };
}

function toUnmatched(item: Record<string, unknown>): UnmatchedInbound {
  return {
    id: String(item.id),
    from: String(item.from),
    to: String(item.to),
    text: String(item.text),
    receivedAt: String(item.receivedAt),
    carrier: String(item.carrier),
    carrierId: String(item.carrierId),
  };
}
