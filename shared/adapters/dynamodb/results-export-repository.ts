import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import type { ResultsExport } from '#domain/batch/results-export';
import type { ResultsExportRepository } from '#ports/results-exports';
import { conditionalWrite } from './errors';
import { setFields, transactWrite, updateExisting } from './item-operations';
import { resultsExportKey, resultsExportSlotKey } from './keys';

type Item = Record<string, unknown>;

/** The TTL attribute holds epoch seconds; the domain speaks ISO. */
const ttl = (iso: string) => Math.floor(Date.parse(iso) / 1000);

function toExport(item: Item | undefined, now: number): ResultsExport | undefined {
  // DynamoDB's TTL deletes within days, not at the instant: an expired item is treated as gone.
  if (!item || (typeof item.expiresAt === 'number' && item.expiresAt * 1000 <= now)) return undefined;
  const { pk: _p, sk: _s, entityType: _e, version: _v, expiresAt, ...rest } = item;
  return { ...rest, expiresAt: new Date(Number(expiresAt) * 1000).toISOString() } as ResultsExport;
}

/** Results exports and their dedup slots, in the account's partition (docs/access-patterns.md). */
export function makeDynamoResultsExportRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  now?: () => number;
}): ResultsExportRepository {
  const { client, tableName: TableName } = options;
  const now = options.now ?? Date.now;
  return {
    create(record, slot, replacing) {
      const slotCondition =
        replacing === undefined
          ? { ConditionExpression: 'attribute_not_exists(pk)' }
          : {
              ConditionExpression: 'exportId = :replacing',
              ExpressionAttributeValues: { ':replacing': replacing },
            };
      return conditionalWrite(() =>
        transactWrite(client, [
          {
            Put: {
              TableName,
              Item: {
                ...resultsExportKey(record.accountId, record.batchId, record.id),
                entityType: 'resultsExport',
                version: 1,
                ...record,
                expiresAt: ttl(record.expiresAt),
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName,
              Item: {
                ...resultsExportSlotKey(record.accountId, record.batchId, slot),
                entityType: 'resultsExportSlot',
                version: 1,
                exportId: record.id,
                expiresAt: ttl(record.expiresAt),
              },
              ...slotCondition,
            },
          },
        ]),
      );
    },

    async slot(accountId, batchId, slot) {
      const { Item } = await client.send(
        new GetCommand({
          TableName,
          Key: resultsExportSlotKey(accountId, batchId, slot),
          ConsistentRead: true,
        }),
      );
      // Answered even when expired and not yet deleted by TTL: `create` replaces it on this very value
      // (the export it names reads as gone, so it is never joined).
      return typeof Item?.exportId === 'string' ? Item.exportId : undefined;
    },

    async get(accountId, batchId, exportId) {
      const { Item } = await client.send(
        new GetCommand({
          TableName,
          Key: resultsExportKey(accountId, batchId, exportId),
          ConsistentRead: true,
        }),
      );
      return toExport(Item, now());
    },

    async update(key, changes, from) {
      const set = setFields(changes);
      const states = Object.fromEntries(from.map((status, i) => [`:from${i}`, status]));
      const item = await updateExisting(
        client,
        TableName,
        resultsExportKey(key.accountId, key.batchId, key.exportId),
        {
          ...set,
          ConditionExpression: `attribute_exists(pk) AND #status IN (${Object.keys(states).join(', ')})`,
          ExpressionAttributeNames: { ...set.ExpressionAttributeNames, '#status': 'status' },
          ExpressionAttributeValues: { ...set.ExpressionAttributeValues, ...states },
        },
      );
      return toExport(item, now());
    },
  };
}
