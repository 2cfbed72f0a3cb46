import { BatchGetCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { BlocklistRepository } from '#ports/account-repository';
import { accountBlockKey, globalBlockKey } from './keys';

/** Both lists are checked with one BatchGetItem (two key reads). */
export function makeDynamoBlocklistRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): BlocklistRepository {
  return {
    async find(accountId, e164) {
      const account = accountBlockKey(accountId, e164);
      const global = globalBlockKey(e164);
      const { Responses, UnprocessedKeys } = await options.client.send(
        new BatchGetCommand({
          RequestItems: { [options.tableName]: { Keys: [account, global], ProjectionExpression: 'pk' } },
        }),
      );
      // A check that did not run must not pass as "not blocked": fail and let the caller retry.
      if (Object.keys(UnprocessedKeys ?? {}).length > 0) throw new Error('Blocklist check throttled; retry');
      const found = Responses?.[options.tableName] ?? [];
      if (found.some((item) => item.pk === global.pk)) return 'global';
      if (found.some((item) => item.pk === account.pk)) return 'account';
      return undefined;
    },
  };
}
