import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { SavedTemplate } from '#domain/template/saved-template';
import type { TemplateRepository } from '#ports/template-repository';
import { deleteExisting, queryPrefixPage, setFields, updateExisting } from './item-operations';
import { templateKey } from './keys';

const PREFIX = 'TEMPLATE#';

function toTemplate(item: Record<string, unknown>): SavedTemplate {
  return {
    id: String(item.id),
    accountId: String(item.accountId),
    name: String(item.name),
    text: String(item.text),
    createdAt: String(item.createdAt),
    updatedAt: String(item.updatedAt ?? item.createdAt),
  };
}

/** Templates live in the account's own partition (`ACCOUNT#<id>` / `TEMPLATE#<id>`): one Query lists them. */
export function makeDynamoTemplateRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): TemplateRepository {
  const { client, tableName: TableName } = options;
  return {
    async create(template) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...templateKey(template.accountId, template.id),
            entityType: 'template',
            version: 1,
            ...template,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(accountId, templateId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: templateKey(accountId, templateId) }),
      );
      return Item ? toTemplate(Item) : undefined;
    },

    list(accountId, page) {
      const pk = templateKey(accountId, '').pk;
      return queryPrefixPage(client, TableName, { pk, prefix: PREFIX, page }, toTemplate);
    },

    async update(accountId, templateId, changes) {
      const { count: _count, ...set } = setFields(changes);
      const updated = await updateExisting(client, TableName, templateKey(accountId, templateId), set);
      return updated ? toTemplate(updated) : undefined;
    },

    remove(accountId, templateId) {
      return deleteExisting(client, TableName, templateKey(accountId, templateId));
    },
  };
}
