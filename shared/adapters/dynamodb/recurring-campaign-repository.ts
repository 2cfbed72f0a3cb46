import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { RecurringCampaign } from '#domain/batch/recurring-campaign';
import type { RecurringCampaignRepository } from '#ports/recurring-campaigns';
import { deleteExisting, queryPrefixPage, setFields, updateExisting } from './item-operations';
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

    list(accountId, page) {
      const pk = recurringCampaignKey(accountId, '').pk;
      return queryPrefixPage(client, TableName, { pk, prefix: 'RECURRING#', page }, toCampaign);
    },

    async update(accountId, id, changes) {
      const { count, ...set } = setFields(changes);
      if (count === 0) return this.get(accountId, id);
      const updated = await updateExisting(client, TableName, recurringCampaignKey(accountId, id), set);
      return updated ? toCampaign(updated) : undefined;
    },

    delete(accountId, id) {
      return deleteExisting(client, TableName, recurringCampaignKey(accountId, id));
    },
  };
}
