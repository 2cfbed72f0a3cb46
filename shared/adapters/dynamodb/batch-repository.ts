import { type DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { allowedFrom, type Batch, type BatchProgress } from '#domain/batch/batch';
import { DailySpendLimitReached, InsufficientCredit } from '#domain/errors';
import type { BatchRepository, Upload } from '#ports/batch-repository';
import { ledgerItem } from './account-item';
import { conditionalWrite, failedConditions, isConditionFailure } from './errors';
import { queryPrefixPage, setFields, transactWrite, updateExisting } from './item-operations';
import { accountKey } from './keys';
import { assertWithinDailyLimit, dailySpendUpdate, releaseUpdate, reserveUpdate } from './money-items';

const batchKey = (accountId: string, batchId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `BATCH#${batchId}`,
});
const uploadKey = (accountId: string, uploadId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `UPLOAD#${uploadId}`,
});
const chunksKey = (accountId: string, batchId: string) => ({
  pk: `ACCOUNT#${accountId}#BATCH#${batchId}`,
  sk: 'CHUNKS',
});
const batchListPk = (accountId: string) => `ACCOUNT#${accountId}#BATCHES`;

/** Uploads live a week; their object expires by the bucket's lifecycle rule. */
const UPLOAD_TTL_SECONDS = 7 * 24 * 3600;

function toBatch(item: Record<string, unknown>): Batch {
  const { pk: _pk, sk: _sk, gsi1pk: _g1, gsi1sk: _g2, entityType: _e, version: _v, ...batch } = item;
  return batch as unknown as Batch;
}

export function makeDynamoBatchRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): BatchRepository {
  const { client, tableName: TableName } = options;

  async function get(accountId: string, batchId: string) {
    const { Item } = await client.send(
      new GetCommand({ TableName, Key: batchKey(accountId, batchId), ConsistentRead: true }),
    );
    return Item ? toBatch(Item) : undefined;
  }

  async function addProgress(accountId: string, batchId: string, delta: Partial<BatchProgress>) {
    const entries = Object.entries(delta).filter(([, v]) => typeof v === 'number' && v !== 0);
    if (entries.length === 0) return;
    await client.send(
      new UpdateCommand({
        TableName,
        Key: batchKey(accountId, batchId),
        UpdateExpression: `SET ${entries.map((_, i) => `progress.#p${i} = if_not_exists(progress.#p${i}, :zero) + :d${i}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(pk)',
        ExpressionAttributeNames: Object.fromEntries(entries.map(([k], i) => [`#p${i}`, k])),
        ExpressionAttributeValues: {
          ':zero': 0,
          ...Object.fromEntries(entries.map(([, v], i) => [`:d${i}`, v])),
        },
      }),
    );
  }

  /** `#status IN (:from0, :from1, ...)` for the statuses that may move to `to`. */
  function fromCondition(to: Batch['status']) {
    const from = allowedFrom(to);
    return {
      expression: `#status IN (${from.map((_, i) => `:from${i}`).join(', ')})`,
      values: Object.fromEntries(from.map((status, i) => [`:from${i}`, status])),
    };
  }

  return {
    async createUpload(upload: Upload) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...uploadKey(upload.accountId, upload.id),
            entityType: 'upload',
            version: 1,
            ...upload,
            expiresAt: Math.floor(Date.parse(upload.createdAt) / 1000) + UPLOAD_TTL_SECONDS,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async getUpload(accountId, uploadId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: uploadKey(accountId, uploadId), ConsistentRead: true }),
      );
      if (!Item) return undefined;
      const { pk: _p, sk: _s, entityType: _e, version: _v, expiresAt: _x, ...upload } = Item;
      return upload as unknown as Upload;
    },

    async create(batch) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...batchKey(batch.accountId, batch.id),
            gsi1pk: batchListPk(batch.accountId),
            gsi1sk: `${batch.createdAt}#${batch.id}`,
            entityType: 'batch',
            version: 1,
            ...batch,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    get,

    list(accountId, page) {
      const query = { pk: batchListPk(accountId), index: 'gsi1', newestFirst: true, page } as const;
      return queryPrefixPage(client, TableName, query, toBatch);
    },

    async transition(accountId, batchId, to, changes = {}) {
      const { chunkKeys, chunkMessages, ...fields } = changes;
      const set = setFields({ status: to, ...fields });
      const condition = fromCondition(to);
      if (chunkKeys) {
        await client.send(
          new PutCommand({
            TableName,
            Item: {
              ...chunksKey(accountId, batchId),
              entityType: 'batchChunks',
              version: 1,
              keys: chunkKeys,
              ...(chunkMessages ? { counts: chunkMessages } : {}),
            },
          }),
        );
      }
      const updated = await updateExisting(client, TableName, batchKey(accountId, batchId), {
        UpdateExpression: set.UpdateExpression,
        ConditionExpression: `attribute_exists(pk) AND ${condition.expression}`,
        ExpressionAttributeNames: { '#status': 'status', ...set.ExpressionAttributeNames },
        ExpressionAttributeValues: { ...condition.values, ...set.ExpressionAttributeValues },
      });
      return updated ? toBatch(updated) : undefined;
    },

    async chunkKeys(accountId, batchId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: chunksKey(accountId, batchId), ConsistentRead: true }),
      );
      return Array.isArray(Item?.keys) ? Item.keys.map(String) : [];
    },
    async chunkMessageCounts(accountId, batchId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: chunksKey(accountId, batchId), ConsistentRead: true }),
      );
      return Array.isArray(Item?.counts) ? Item.counts.map(Number) : [];
    },

    async reserveAndStart(batch, to, entry, at, dailySpend) {
      const cost = batch.summary?.cost ?? 0;
      const fundedBy = entry.accountId;
      assertWithinDailyLimit(dailySpend, cost);
      try {
        await transactWrite(client, [
          reserveUpdate(TableName, fundedBy, cost),
          {
            Update: {
              TableName,
              Key: batchKey(batch.accountId, batch.id),
              UpdateExpression: 'SET #status = :to, reserved = :cost, fundedBy = :fundedBy, startedAt = :at',
              ConditionExpression: '#status = :ready',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':to': to,
                ':cost': cost,
                ':fundedBy': fundedBy,
                ':at': at,
                ':ready': 'ready',
              },
            },
          },
          { Put: { TableName, Item: ledgerItem(entry) } },
          ...(dailySpend
            ? [dailySpendUpdate(TableName, dailySpend, cost, Math.floor(Date.parse(at) / 1000))]
            : []),
        ]);
      } catch (error) {
        const failed = failedConditions(error);
        if (failed.includes(1)) return undefined;
        if (dailySpend && failed.includes(3)) {
          throw new DailySpendLimitReached(
            'The daily spend limit of this account does not cover this batch',
            {
              details: { limit: dailySpend.limit, day: dailySpend.day, cost },
            },
          );
        }
        if (failed.includes(0))
          throw new InsufficientCredit('The balance does not cover this batch', { details: { cost } });
        throw error;
      }
      return get(batch.accountId, batch.id);
    },

    async release(batch, to, amount, entry, at) {
      const condition = fromCondition(to);
      try {
        await transactWrite(client, [
          {
            Update: {
              TableName,
              Key: batchKey(batch.accountId, batch.id),
              UpdateExpression: 'SET #status = :to, finishedAt = :at, released = :amount',
              ConditionExpression: `(${condition.expression} OR #status = :to) AND attribute_not_exists(released)`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ...condition.values,
                ':to': to,
                ':at': at,
                ':amount': amount,
              },
            },
          },
          ...(amount > 0 && batch.fundedBy
            ? [
                releaseUpdate(TableName, batch.fundedBy, amount, 'balance'),
                { Put: { TableName, Item: ledgerItem(entry) } },
              ]
            : []),
        ]);
      } catch (error) {
        if (failedConditions(error).includes(0)) return undefined;
        throw error;
      }
      return get(batch.accountId, batch.id);
    },

    async countEnqueued(accountId, batchId, chunkIndex, delta) {
      return conditionalWrite(() =>
        client.send(
          new UpdateCommand({
            TableName,
            Key: batchKey(accountId, batchId),
            UpdateExpression:
              'SET enqueuedThrough = :index, progress.queued = progress.queued + :queued, progress.parts = progress.parts + :parts, progress.#cost = progress.#cost + :cost',
            ConditionExpression:
              'attribute_exists(pk) AND (attribute_not_exists(enqueuedThrough) OR enqueuedThrough < :index)',
            ExpressionAttributeNames: { '#cost': 'cost' },
            ExpressionAttributeValues: {
              ':index': chunkIndex,
              ':queued': delta.queued,
              ':parts': delta.parts,
              ':cost': delta.cost,
            },
          }),
        ),
      );
    },

    async settle(batch, to, totals, entries, at, extra = {}) {
      const condition = fromCondition(to);
      const reserved = batch.reserved ?? 0;
      try {
        await transactWrite(client, [
          {
            Update: {
              TableName,
              Key: batchKey(batch.accountId, batch.id),
              UpdateExpression: `SET #status = :to, finishedAt = if_not_exists(finishedAt, :at), released = :refund, finalTotals = :totals${extra.reason === undefined ? '' : ', reason = :reason'}`,
              ConditionExpression: `(${condition.expression} OR #status = :to) AND attribute_not_exists(released)`,
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ...condition.values,
                ':to': to,
                ':at': at,
                ':refund': totals.refunded,
                ':totals': totals,
                ...(extra.reason === undefined ? {} : { ':reason': extra.reason }),
              },
            },
          },
          ...(reserved > 0 && batch.fundedBy
            ? [
                {
                  Update: {
                    TableName,
                    Key: accountKey(batch.fundedBy),
                    UpdateExpression: 'ADD reserved :minus, spent :charged, balance :refund',
                    ConditionExpression: 'attribute_exists(pk)',
                    ExpressionAttributeValues: {
                      ':minus': -reserved,
                      ':charged': totals.cost,
                      ':refund': totals.refunded,
                    },
                  },
                },
                ...entries.map((entry) => ({ Put: { TableName, Item: ledgerItem(entry) } })),
              ]
            : []),
        ]);
      } catch (error) {
        if (failedConditions(error).includes(0)) return undefined;
        throw error;
      }
      return get(batch.accountId, batch.id);
    },

    addProgress,

    async markResent(accountId, batchId, generation) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: batchKey(accountId, batchId),
            UpdateExpression: 'SET enqueuedGeneration = :g',
            ConditionExpression: 'attribute_not_exists(enqueuedGeneration) OR enqueuedGeneration < :g',
            ExpressionAttributeValues: { ':g': generation },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },
  };
}
