import { type DynamoDBDocumentClient, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Batch } from '#domain/batch/batch';
import type { ReportSources } from '#ports/report-sources';
import { messageListKey } from './keys';
import { toMessage } from './message-item';

/** Items read per Query page while filtering (a filtered page may match few). */
const PAGE = 500;

/**
 * Reports through gsi1 only (never a Scan): `ACCOUNT#<id>#MSGS` (single messages, sort key
 * `<createdAt>#<id>`) and `ACCOUNT#<id>#BATCHES` (batches, sort key `<createdAt>#<id>`).
 */
export function makeDynamoReportSources(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): ReportSources {
  const { client, tableName: TableName } = options;
  return {
    async singles(accountId, { from, before, limit, filter }) {
      const conditions = ['attribute_not_exists(batchId)'];
      const values: Record<string, unknown> = {
        ':pk': messageListKey(accountId, '', '').gsi1pk,
        ':from': from,
        // BETWEEN is inclusive: the largest key below `before` ends with the highest character.
        ':before': before,
      };
      const names: Record<string, string> = {};
      for (const [field, value] of Object.entries(filter)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:f_${field}`] = value;
        conditions.push(`#${field} = :f_${field}`);
      }
      const items = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :before',
            FilterExpression: conditions.join(' AND '),
            ExpressionAttributeValues: values,
            ...(Object.keys(names).length > 0 ? { ExpressionAttributeNames: names } : {}),
            ScanIndexForward: false,
            Limit: PAGE,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          // `before` itself is the last item already shown (BETWEEN includes it).
          if (String(item.gsi1sk) < before) items.push(toMessage(item));
        }
        start = page.LastEvaluatedKey;
      } while (start && items.length < limit);
      return { items: items.slice(0, limit), more: items.length > limit || start !== undefined };
    },

    async batchesCreated(accountId, { from, to }) {
      const batches: Batch[] = [];
      let start: Record<string, unknown> | undefined;
      do {
        const page = await client.send(
          new QueryCommand({
            TableName,
            IndexName: 'gsi1',
            KeyConditionExpression: 'gsi1pk = :pk AND gsi1sk BETWEEN :from AND :to',
            // The batch listing's partition (batch-repository.ts): sort key `<createdAt>#<batchId>`.
            ExpressionAttributeValues: {
              ':pk': `ACCOUNT#${accountId}#BATCHES`,
              ':from': from,
              ':to': `${to}\uffff`,
            },
            ScanIndexForward: false,
            ...(start ? { ExclusiveStartKey: start } : {}),
          }),
        );
        for (const item of page.Items ?? []) {
          const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, entityType: _e, version: _v, ...batch } = item;
          batches.push(batch as unknown as Batch);
        }
        start = page.LastEvaluatedKey;
      } while (start);
      return batches;
    },
  };
}
