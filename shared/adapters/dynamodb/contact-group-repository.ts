import { DeleteCommand, type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { Contact } from '#domain/contacts/contact';
import type { ContactGroupRepository } from '#ports/contact-groups';
import { contactItem, contactKey, groupKey, toGroup } from './contact-items';
import { makeContactQueries } from './contact-queries';
import { conditionalWrite, isConditionFailure } from './errors';
import { queryPrefixPage, transactWrite, updateWhileStatus } from './item-operations';

/** docs/access-patterns.md, "Contact groups". */
export function makeDynamoContactGroupRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ContactGroupRepository {
  const { client, tableName: TableName } = options;
  /**
   * The group moves with its contacts, only while it is `ready`: the counter, and the set of custom field
   * names a list campaign's `#placeholders` may name (a string set: ADD keeps each name once).
   */
  const count = (accountId: string, groupId: string, delta: 1 | -1 | 0, contact?: Contact) => {
    const names = Object.keys(contact?.fields ?? {});
    return {
      Update: {
        TableName,
        Key: groupKey(accountId, groupId),
        UpdateExpression: `ADD contacts :d${names.length > 0 ? ', customFields :names' : ''}`,
        ConditionExpression: '#status = :ready',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':d': delta,
          ':ready': 'ready',
          ...(names.length > 0 ? { ':names': new Set(names) } : {}),
        },
      },
    };
  };

  return {
    ...makeContactQueries(options),

    async createGroup(group) {
      await client.send(
        new PutCommand({
          TableName,
          Item: { ...groupKey(group.accountId, group.id), entityType: 'contactGroup', version: 1, ...group },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getGroup(accountId, groupId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: groupKey(accountId, groupId), ConsistentRead: true }),
      );
      return Item ? toGroup(Item) : undefined;
    },

    listGroups(accountId, page) {
      const filter = {
        expression: '#status <> :deleting',
        names: { '#status': 'status' },
        values: { ':deleting': 'deleting' },
      };
      const query = { pk: `ACCOUNT#${accountId}`, prefix: 'GROUP#', filter, page };
      return queryPrefixPage(client, TableName, query, toGroup);
    },

    async updateGroup(accountId, groupId, changes, when) {
      const updated = await updateWhileStatus(client, TableName, groupKey(accountId, groupId), changes, when);
      return updated ? toGroup(updated) : undefined;
    },

    async deleteGroup(accountId, groupId) {
      await client.send(new DeleteCommand({ TableName, Key: groupKey(accountId, groupId) }));
    },

    async addContact(accountId, groupId, contact) {
      return conditionalWrite(() =>
        transactWrite(client, [
          {
            Put: {
              TableName,
              Item: contactItem(accountId, groupId, contact),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          count(accountId, groupId, 1, contact),
        ]),
      );
    },

    async replaceContact(accountId, groupId, phone, contact) {
      const old = contactKey(accountId, groupId, phone);
      const put = {
        TableName,
        Item: contactItem(accountId, groupId, contact),
        ConditionExpression: 'attribute_exists(pk)',
      };
      try {
        const moved = contact.phone !== phone;
        await transactWrite(client, [
          ...(moved
            ? [{ Delete: { TableName, Key: old, ConditionExpression: 'attribute_exists(pk)' } }]
            : []),
          { Put: { ...put, ...(moved ? { ConditionExpression: 'attribute_not_exists(pk)' } : {}) } },
          count(accountId, groupId, 0, contact),
        ]);
        return 'ok';
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // Which condition failed: the old number gone, or the new one taken.
        const { Item } = await client.send(new GetCommand({ TableName, Key: old, ConsistentRead: true }));
        return Item ? 'taken' : 'missing';
      }
    },

    async deleteContact(accountId, groupId, phone) {
      return conditionalWrite(() =>
        transactWrite(client, [
          {
            Delete: {
              TableName,
              Key: contactKey(accountId, groupId, phone),
              ConditionExpression: 'attribute_exists(pk)',
            },
          },
          count(accountId, groupId, -1),
        ]),
      );
    },
  };
}
