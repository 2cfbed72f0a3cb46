import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { BlocklistImport } from '#domain/blocklist/blocklist-import';
import type { BlocklistImportRepository } from '#ports/blocklist-imports';
import { updateExisting, updateWhileStatus } from './item-operations';
import { blocklistImportKey } from './keys';

const KEYS = ['pk', 'sk', 'entityType', 'version'];

function toImport(item: Record<string, unknown>): BlocklistImport {
  const entry = Object.fromEntries(Object.entries(item).filter(([k]) => !KEYS.includes(k)));
  return { chunkAdded: {}, ...entry } as unknown as BlocklistImport;
}

/** docs/access-patterns.md, "Blocklist imports": `ACCOUNT#<id>` / `BLOCKLISTIMPORT#<importId>`. */
export function makeDynamoBlocklistImportRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): BlocklistImportRepository {
  const { client, tableName: TableName } = options;
  return {
    async create(entry) {
      await client.send(
        new PutCommand({
          TableName,
          Item: {
            ...blocklistImportKey(entry.accountId, entry.id),
            entityType: 'blocklistImport',
            version: 1,
            ...entry,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
        }),
      );
    },

    async get(accountId, importId) {
      const { Item } = await client.send(
        new GetCommand({ TableName, Key: blocklistImportKey(accountId, importId), ConsistentRead: true }),
      );
      return Item ? toImport(Item) : undefined;
    },

    async update(accountId, importId, changes, when) {
      const updated = await updateWhileStatus(
        client,
        TableName,
        blocklistImportKey(accountId, importId),
        changes,
        when,
      );
      return updated ? toImport(updated) : undefined;
    },

    async recordChunk(accountId, importId, index, added) {
      // A map entry per chunk, not an ADD counter: a re-run chunk sets its own entry again.
      await updateExisting(client, TableName, blocklistImportKey(accountId, importId), {
        UpdateExpression: 'SET chunkAdded.#i = :n',
        ExpressionAttributeNames: { '#i': String(index) },
        ExpressionAttributeValues: { ':n': added },
      });
    },
  };
}
