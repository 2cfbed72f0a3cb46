/**
 * Throughput limit in message parts per second, as carriers count it (SMS-FACTS "Throughput"): the
 * bucket holds up to `ratePerSecond` tokens (the burst) and refills continuously. A submission of n
 * parts takes n tokens; one larger than the whole bucket takes a full bucket, so it can still pass.
 */
export interface TokenBucket {
  /** Takes the tokens, or says how long (whole seconds, at least 1) until they would be there. */
  take(parts: number): { readonly ok: true } | { readonly ok: false; readonly retryAfterSeconds: number };
}

/** `ratePerSecond` 0 (or Infinity) means unlimited. */
export function makeTokenBucket(
  ratePerSecond: number,
  now: () => number = () => performance.now(),
): TokenBucket {
  if (ratePerSecond === 0 || ratePerSecond === Number.POSITIVE_INFINITY)
    return { take: () => ({ ok: true }) };
  let tokens = ratePerSecond;
  let last = now();
  return {
    take(parts) {
      const at = now();
      tokens = Math.min(ratePerSecond, tokens + ((at - last) / 1000) * ratePerSecond);
      last = at;
      const cost = Math.min(parts, ratePerSecond);
      if (tokens >= cost) {
        tokens -= cost;
        return { ok: true };
      }
      return { ok: false, retryAfterSeconds: Math.max(1, Math.ceil((cost - tokens) / ratePerSecond)) };
    },
  };
}
