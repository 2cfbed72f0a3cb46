import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BlocklistRepository } from '#ports/account-repository';
import { accountBlockKey, globalBlockKey } from './keys';

/** BatchGetItem takes at most 100 keys: 50 numbers, each on both lists. */
const NUMBERS_PER_REQUEST = 50;

/** Both lists are checked with BatchGetItem (two key reads per number). */
export function makeDynamoBlocklistRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): BlocklistRepository {
  const { client, tableName } = options;

  async function lookup(accountId: string, numbers: readonly string[]) {
    const hits = new Map<string, 'account' | 'global'>();
    for (let start = 0; start < numbers.length; start += NUMBERS_PER_REQUEST) {
      const slice = numbers.slice(start, start + NUMBERS_PER_REQUEST);
      let keys: Record<string, unknown>[] = slice.flatMap((n) => [
        accountBlockKey(accountId, n),
        globalBlockKey(n),
      ]);
      for (let attempt = 0; keys.length > 0; attempt++) {
        const { Responses, UnprocessedKeys } = await client.send(
          new BatchGetCommand({
            RequestItems: { [tableName]: { Keys: keys, ProjectionExpression: 'pk, sk' } },
          }),
        );
        for (const item of Responses?.[tableName] ?? []) {
          const number = String(item.sk).slice('BLOCK#'.length);
          if (item.pk === 'PLATFORM') hits.set(number, 'global');
          else if (!hits.has(number)) hits.set(number, 'account');
        }
        keys = (UnprocessedKeys?.[tableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
        // A check that did not run must not pass as "not blocked": fail and let the caller retry.
        if (keys.length > 0 && attempt >= 3) throw new Error('Blocklist check throttled; retry');
      }
    }
    return hits;
  }

  return {
    async find(accountId, e164) {
      return (await lookup(accountId, [e164])).get(e164);
    },
    findMany: lookup,
  };
}
