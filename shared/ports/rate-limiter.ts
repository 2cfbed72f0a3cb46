import type { RateDecision } from '#domain/rate-limit';

/**
 * Counts an account's API requests. A port (not a middleware detail) so the customer-route middleware
 * can be tested with a fake and the DynamoDB counter swapped for another store without touching it.
 */
export interface RateLimiter {
  /** Counts one request; `ok: false` when the account already used `limitPerSecond` this second. */
  take(accountId: string, limitPerSecond: number): Promise<RateDecision>;
}
