import type { Account } from '#domain/account/account';
import { RateLimited } from '#domain/rate-limit';
import type { RateLimiter } from '#ports/rate-limiter';

/**
 * Counts one API request of the account against its `requestsPerSecond`.
 * 1. Take one from this second's allowance.
 * 2. Throw `RateLimited` (429 with Retry-After) when it is used up; the request does nothing else.
 */
export async function enforceRateLimit(
  limiter: RateLimiter,
  account: Pick<Account, 'id' | 'requestsPerSecond'>,
): Promise<void> {
  const decision = await limiter.take(account.id, account.requestsPerSecond);
  if (!decision.ok) throw new RateLimited(decision.retryAfterSeconds);
}
