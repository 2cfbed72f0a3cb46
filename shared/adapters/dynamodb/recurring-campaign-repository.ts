import {
  DeleteCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  QueryCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { RecurringCampaign } from '#domain/batch/recurring-campaign';
import type { RecurringCampaignRepository } from '#ports/recurring-campaigns';
import { decodeCursor, encodeCursor } from './cursor';
import { isConditionFailure } from './errors';
import { recurringCampaignKey } from './keys';

function toCampaign(item: Record<string, unknown>): RecurringCampaign {
  const { pk: _pk, sk: _sk, entityType: _e, version: _v, ...campaign } = item;
  return campaign as unknown as RecurringCampaign;
}

export function makeDynamoRecurringCampaignRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): RecurringCampaignRepository {
  const { client, tableName: TableName } = options;
  return {
    async create(campaign) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...recurringCampaignKey(campaign.accountId, campaign.id),
            entityType: 'recurringCampaign',
            version: 1,
            ...campaign,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(accountId, id) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: recurringCampaignKey(accountId, id), ConsistentRead: true }),
      );
      return Item ? toCampaign(Item) : undefined;
    },

    async list(accountId, page) {
      const pk = `ACCOUNT#${accountId}`;
      const { Items, LastEvaluatedKey } = await client.send(
        new QueryCommand({
          TableName,
          KeyConditionExpression: 'pk = :pk AND begins_with(sk, :prefix)',
          ExpressionAttributeValues: { ':pk': pk, ':prefix': 'RECURRING#' },
          Limit: page.limit,
          ...(page.cursor ? { ExclusiveStartKey: decodeCursor(page.cursor, pk) } : {}),
        }),
      );
      return {
        items: (Items ?? []).map(toCampaign),
        ...(LastEvaluatedKey ? { cursor: encodeCursor(LastEvaluatedKey) } : {}),
      };
    },

    async update(accountId, id, changes) {
      const entries = Object.entries(changes).filter(([, v]) => v !== undefined);
      if (entries.length === 0) return this.get(accountId, id);
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName,
            Key: recurringCampaignKey(accountId, id),
            UpdateExpression: `SET ${entries.map((_, i) => `#f${i} = :v${i}`).join(', ')}`,
            ConditionExpression: 'attribute_exists(pk)',
            ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#f${i}`, k])),
            ExpressionAttributeValues: Object.fromEntries(entries.map(([, v], i) => [`:v${i}`, v])),
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? toCampaign(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async delete(accountId, id) {
      try {
        await client.send(
          new DeleteCommand({
            TableName,
            Key: recurringCampaignKey(accountId, id),
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
