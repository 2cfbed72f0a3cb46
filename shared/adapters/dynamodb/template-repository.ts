import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { SavedTemplate } from '#domain/template/saved-template';
import type { TemplateRepository } from '#ports/template-repository';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionFailure } from './errors';
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

    async list(accountId, page) {
      const pk = templateKey(accountId, '').pk;
      const { Items, LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': PREFIX },
          Limit: page.limit,
          ...(page.cursor === undefined ? {} : { ExclusiveStartKey: decodeCursor(page.cursor, pk) }),
        }),
      );
      return {
        items: (Items ?? []).map(toTemplate),
        ...(LastEvaluatedKey ? { cursor: encodeCursor(LastEvaluatedKey) } : {}),
      };
    },

    async update(accountId, templateId, changes) {
      const fields = Object.entries(changes).filter(([, v]) => v !== undefined);
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName,
            Key: templateKey(accountId, templateId),
            UpdateExpression: `SET ${fields.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: Object.fromEntries(fields.map(([k], i) => [`#f${i}`, k])),
            ExpressionAttributeValues: Object.fromEntries(fields.map(([, v], i) => [`:v${i}`, v])),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? toTemplate(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async remove(accountId, templateId) {
      try {
        await client.send(
          new DeleteCommand({
            TableName,
            Key: templateKey(accountId, templateId),
            ConditionExpression: 'attribute_exists(pk)',
          }),
        );
        return true;
      } catch (error) {
        if (isConditionFailure(error)) return false;
        throw error;
      }
    },
  };
}
