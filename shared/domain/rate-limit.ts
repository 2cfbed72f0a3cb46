import { DomainError } from './errors';

/**
 * The account made more API requests this second than its `requestsPerSecond` allows (429). Carries
 * `retryAfterSeconds` so the HTTP layer can send `Retry-After` and a well-behaved client backs off
 * instead of hammering the API (and the table) in a tight loop.
 */
export class RateLimited extends DomainError {
  readonly code = 'RATE_LIMITED';
  readonly retryAfterSeconds: number;

  constructor(retryAfterSeconds: number) {
    super(`Too many requests; retry after ${retryAfterSeconds} s`, { details: { retryAfterSeconds } });
    this.retryAfterSeconds = retryAfterSeconds;
  }
}

/** What a rate limiter answers for one request. */
export type RateDecision = { ok: true } | { ok: false; retryAfterSeconds: number };
