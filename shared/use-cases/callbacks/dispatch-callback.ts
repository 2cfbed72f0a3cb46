import type { CallbackJob } from '#domain/callbacks/callback';
import type { CallbackAttempt, CallbackPoster } from '#ports/callbacks';
import type { Clock } from '#ports/clock';

export interface DispatchCallbackDeps {
  readonly poster: CallbackPoster;
  readonly clock: Clock;
  /** The account's callback secret (undefined: it has none). */
  readonly secretOf: (accountId: string) => Promise<string | undefined>;
  /** HMAC of `${timestamp}.${body}` → `v1=<hex>` (the adapter's crypto). */
  readonly sign: (secret: string, timestamp: number, body: string) => string;
}

/** Headers of every callback (docs/callbacks.md). */
export const CALLBACK_HEADERS = {
  id: 'x-callback-id',
  type: 'x-callback-type',
  timestamp: 'x-timestamp',
  signature: 'x-signature',
} as const;

/**
 * Sends one callback.
 * 1. Headers: the event id (receivers de-duplicate on it) and type, the unix time.
 * 2. A signed job gets `X-Signature: v1=<HMAC-SHA256(secret, "<timestamp>.<body>")>`, with a fresh
 *    timestamp on every attempt (the receiver can refuse stale ones).
 * 3. POST/GET it; the caller retries (queue backoff) when the answer is not 2xx.
 */
export async function dispatchCallback(
  deps: DispatchCallbackDeps,
  job: CallbackJob,
): Promise<CallbackAttempt> {
  const timestamp = Math.floor(deps.clock.now().getTime() / 1000);
  const headers: Record<string, string> = {
    [CALLBACK_HEADERS.id]: job.eventId,
    [CALLBACK_HEADERS.type]: job.type,
    [CALLBACK_HEADERS.timestamp]: String(timestamp),
  };
  if (job.body !== undefined) headers['content-type'] = 'application/json';
  if (job.sign) {
    const secret = await deps.secretOf(job.accountId);
    if (secret) headers[CALLBACK_HEADERS.signature] = deps.sign(secret, timestamp, job.body ?? '');
  }
  return deps.poster.send(job, headers);
}
