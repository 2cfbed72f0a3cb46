import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { RateDecision } from '#domain/rate-limit';
import type { RateLimiter } from '#ports/rate-limiter';
import { isConditionFailure } from './errors';
import { rateWindowKey } from './platform-keys';

/** Counters outlive their second by a minute, then DynamoDB's TTL deletes them (no cleanup job). */
const COUNTER_TTL_SECONDS = 60;

/**
 * A fixed one-second window per account: one conditional UpdateItem per request on
 * `RATE#<accountId>#<epochSecond>` (`ADD n :one` only while `n < limit`), so concurrent Lambdas share
 * one exact count without a read. A refused request does not count. Why not a token bucket: it needs
 * a read-modify-write (or a transaction) per request; the fixed window is one write, and the burst it
 * allows at a window edge (up to 2× the limit over two adjacent half-seconds) is harmless here.
 *
 * A limit below 1 refuses every request (an account the operator throttled to zero).
 *
 * Cost: one write unit per API request. One partition takes ~1000 writes/s, so limits far above that
 * would need sharded counters; per-account limits are tens of requests per second.
 */
export function makeDynamoRateLimiter(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
  /** Milliseconds since the epoch; injectable for tests. @default Date.now */
  now?: () => number;
}): RateLimiter {
  const { client, tableName: TableName } = options;
  const now = options.now ?? Date.now;
  return {
    async take(accountId, limitPerSecond): Promise<RateDecision> {
      if (!(limitPerSecond >= 1)) return { ok: false, retryAfterSeconds: 1 };
      const second = Math.floor(now() / 1000);
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: rateWindowKey(accountId, second),
            UpdateExpression: 'ADD n :one SET expiresAt = if_not_exists(expiresAt, :expiresAt)',
            ConditionExpression: 'attribute_not_exists(n) OR n < :limit',
            ExpressionAttributeValues: {
              ':one': 1,
              ':limit': Math.floor(limitPerSecond),
              ':expiresAt': second + COUNTER_TTL_SECONDS,
            },
          }),
        );
        return { ok: true };
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
        // The window ends within the second; Retry-After counts whole seconds, so 1.
        return { ok: false, retryAfterSeconds: 1 };
      }
    },
  };
}
