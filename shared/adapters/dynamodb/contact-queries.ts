import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact } from '#domain/contacts/contact';
import type { ContactGroupRepository } from '#ports/contact-groups';
import { batchWrite, contactItem, contactKey, contactPk, toContact } from './contact-items';
import { decodeCursor, encodeCursor } from './cursor';
import { queryOnce, queryPages } from './item-operations';

/** A name search reads at most this many pages per request, then answers what it found with a cursor. */
const MAX_FILTERED_PAGES = 10;
const STREAM_PAGE = 1_000;

/** The reads and bulk writes of a group's contact partition (docs/access-patterns.md). */
export function makeContactQueries(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): Pick<
  ContactGroupRepository,
  'getContact' | 'listContacts' | 'streamContacts' | 'putContacts' | 'purgeContacts'
> {
  const { client, tableName: TableName } = options;

  return {
    async getContact(accountId, groupId, phone) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: contactKey(accountId, groupId, phone), ConsistentRead: true }),
      );
      return Item ? toContact(Item) : undefined;
    },

    /**
     * In number order. A number prefix is a key condition (`begins_with(sk)`); a name is a filter on the
     * normalised `search` attribute, so it reads the partition page by page (a Query, never a Scan) and
     * answers with a cursor after {@link MAX_FILTERED_PAGES} pages even when fewer matched.
     */
    async listContacts(accountId, groupId, query) {
      const pk = contactPk(accountId, groupId);
      const items: Contact[] = [];
      let start = query.cursor ? decodeCursor(query.cursor, pk) : undefined;
      const filter = query.name
        ? {
            expression: 'contains(#search, :name)',
            names: { '#search': 'search' },
            values: { ':name': query.name },
          }
        : undefined;
      for (let page = 0; page < MAX_FILTERED_PAGES; page++) {
        const { items: found, lastKey } = await queryOnce(
          client,
          TableName,
          { pk, prefix: `CONTACT#${query.phonePrefix ?? ''}`, filter, limit: query.limit - items.length },
          start,
        );
        items.push(...found.map(toContact));
        start = lastKey;
        if (!start || items.length >= query.limit) break;
      }
      return { items, ...(start ? { cursor: encodeCursor(start) } : {}) };
    },

    async *streamContacts(accountId, groupId) {
      // Pages of a bounded count, not only DynamoDB's 1 MB: DynamoDB Local answers a 500 (out of heap)
      // for an unbounded Query of a 100k-contact partition; 1 000 keeps memory flat either way.
      const query = { pk: contactPk(accountId, groupId), limit: STREAM_PAGE };
      for await (const page of queryPages(client, TableName, query)) yield page.items.map(toContact);
    },

    async putContacts(accountId, groupId, contacts) {
      await batchWrite(
        client,
        TableName,
        contacts.map((contact) => ({ PutRequest: { Item: contactItem(accountId, groupId, contact) } })),
      );
    },

    async purgeContacts(accountId, groupId, max) {
      let deleted = 0;
      while (deleted < max) {
        const { items: Items } = await queryOnce(client, TableName, {
          pk: contactPk(accountId, groupId),
          projection: 'pk, sk',
          limit: Math.min(1_000, max - deleted),
        });
        if (Items.length === 0) return { deleted, done: true };
        await batchWrite(
          client,
          TableName,
          Items.map((key) => ({ DeleteRequest: { Key: { pk: key.pk, sk: key.sk } } })),
        );
        deleted += Items.length;
      }
      return { deleted, done: false };
    },
  };
}
