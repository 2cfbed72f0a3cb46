import {
  BatchWriteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { ShortLink, UnsubscribeLink } from '#domain/links/links';
import type { LinkRepository } from '#ports/link-repository';
import { conditionalWrite } from './errors';
import { queryPrefixPage, updateExisting } from './item-operations';
import { shortLinkKey, shortLinkListKey, unsubscribeLinkKey } from './keys';

const WRITE_SLICE = 25;

function toShortLink(item: Record<string, unknown>): ShortLink {
  return {
    code: String(item.code),
    accountId: String(item.accountId),
    url: String(item.url),
    clicks: Number(item.clicks ?? 0),
    createdAt: String(item.createdAt),
    ...(item.messageId === undefined ? {} : { messageId: String(item.messageId) }),
    ...(item.lastClickAt === undefined ? {} : { lastClickAt: String(item.lastClickAt) }),
  };
}

function toUnsubscribeLink(item: Record<string, unknown>): UnsubscribeLink {
  return {
    code: String(item.code),
    accountId: String(item.accountId),
    number: String(item.number),
    createdAt: String(item.createdAt),
    ...(item.messageId === undefined ? {} : { messageId: String(item.messageId) }),
    ...(item.confirmedAt === undefined ? {} : { confirmedAt: String(item.confirmedAt) }),
  };
}

/**
 * `LINK#<code>` / `UNSUB#<code>` items: the public routes read one key, never the account's partition.
 * Clicks are an atomic `ADD` on the link item (exact under concurrent clicks, no read first).
 */
export function makeDynamoLinkRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): LinkRepository {
  const { client, tableName: TableName } = options;
  return {
    async createShortLinks(links, expiresAt) {
      for (let start = 0; start < links.length; start += WRITE_SLICE) {
        let requests: Record<string, unknown>[] = links.slice(start, start + WRITE_SLICE).map((link) => ({
          PutRequest: {
            Item: {
              ...shortLinkKey(link.code),
              ...shortLinkListKey(link.accountId, link.createdAt, link.code),
              entityType: 'shortLink',
              version: 1,
              ...link,
              expiresAt,
            },
          },
        }));
        for (let attempt = 0; requests.length > 0; attempt++) {
          if (attempt > 0) await new Promise((r) => setTimeout(r, 20 * 2 ** attempt));
          if (attempt > 6) throw new Error('Short link writes throttled; retry');
          const { UnprocessedItems } = await client.send(
            new BatchWriteCommand({ RequestItems: { [TableName]: requests as never } }),
          );
          requests = (UnprocessedItems?.[TableName] as Record<string, unknown>[] | undefined) ?? [];
        }
      }
    },

    async createUnsubscribeLink(link, expiresAt) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...unsubscribeLinkKey(link.code),
            entityType: 'unsubscribeLink',
            version: 1,
            ...link,
            expiresAt,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async attachMessage(codes, messageId) {
      const keys = [
        ...codes.short.map(shortLinkKey),
        ...(codes.unsubscribe ? [unsubscribeLinkKey(codes.unsubscribe)] : []),
      ];
      // Conditional: an update of a missing key would create a stub item (no url) that `/l/` then serves.
      await Promise.all(
        keys.map((Key) =>
          conditionalWrite(() =>
            client.send(
              new UpdateCommand({
                TableName,
                Key,
                UpdateExpression: 'SET messageId = :m REMOVE expiresAt',
                ConditionExpression: 'attribute_exists(pk)',
                ExpressionAttributeValues: { ':m': messageId },
              }),
            ),
          ),
        ),
      );
    },

    async click(code, at) {
      const clicked = await updateExisting(client, TableName, shortLinkKey(code), {
        UpdateExpression: 'ADD clicks :one SET lastClickAt = :at',
        ExpressionAttributeValues: { ':one': 1, ':at': at },
      });
      return clicked ? toShortLink(clicked) : undefined;
    },

    async getUnsubscribeLink(code) {
      const { Item } = await client.send(new GetCommand({ TableName, Key: unsubscribeLinkKey(code) }));
      return Item ? toUnsubscribeLink(Item) : undefined;
    },

    async confirmUnsubscribe(code, at) {
      await client.send(
        new UpdateCommand({
          TableName,
          Key: unsubscribeLinkKey(code),
          UpdateExpression: 'SET confirmedAt = if_not_exists(confirmedAt, :at)',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':at': at },
        }),
      );
    },

    listShortLinks(accountId, page) {
      const query = { pk: `ACCOUNT#${accountId}#LINKS`, index: 'gsi1', newestFirst: true, page } as const;
      return queryPrefixPage(client, TableName, query, toShortLink);
    },
  };
}
