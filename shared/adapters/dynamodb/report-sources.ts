import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Batch } from '#domain/batch/batch';
import type { ReportSources } from '#ports/report-sources';
import { type PartitionQuery, queryAll, queryPages } from './item-operations';
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
      const values: Record<string, unknown> = {};
      const names: Record<string, string> = {};
      for (const [field, value] of Object.entries(filter)) {
        if (value === undefined) continue;
        names[`#${field}`] = field;
        values[`:f_${field}`] = value;
        conditions.push(`#${field} = :f_${field}`);
      }
      const query: PartitionQuery = {
        pk: messageListKey(accountId, '', '').gsi1pk,
        index: 'gsi1',
        // BETWEEN is inclusive: the largest key below `before` ends with the highest character.
        between: [from, before],
        filter: {
          expression: conditions.join(' AND '),
          values,
          ...(Object.keys(names).length > 0 ? { names } : {}),
        },
        newestFirst: true,
        limit: PAGE,
      };
      const items = [];
      let more = false;
      for await (const page of queryPages(client, TableName, query)) {
        for (const item of page.items) {
          // `before` itself is the last item already shown (BETWEEN includes it).
          if (String(item.gsi1sk) < before) items.push(toMessage(item));
        }
        more = page.lastKey !== undefined;
        if (items.length >= limit) break;
      }
      return { items: items.slice(0, limit), more: items.length > limit || more };
    },

    batchesCreated(accountId, { from, to }) {
      // The batch listing's partition (batch-repository.ts): sort key `<createdAt>#<batchId>`.
      const query = {
        pk: `ACCOUNT#${accountId}#BATCHES`,
        index: 'gsi1',
        between: [from, `${to}\uffff`],
        newestFirst: true,
      } as const;
      return queryAll(client, TableName, query, (item) => {
        const { pk: _p, sk: _s, gsi1pk: _g, gsi1sk: _h, entityType: _e, version: _v, ...batch } = item;
        return batch as unknown as Batch;
      });
    },
  };
}
