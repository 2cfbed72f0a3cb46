/**
 * Key builders for the operator-side entities: price lists, sender id requests, rate-limit counters
 * (docs/access-patterns.md, "Prices, sender ids, global blocklist, rate limits"). Kept apart from
 * `keys.ts` so each file has one reason to change; the global blocklist's key lives in `keys.ts`
 * because the send path reads it too.
 */
export const priceListKey = (id: string) => ({ pk: `PRICELIST#${id}`, sk: 'PRICELIST' });

/** All stored price lists (gsi1), by id: the operator's listing without a scan. */
export const priceListListKey = (id: string) => ({ gsi1pk: 'PRICELISTS', gsi1sk: id });

/** A sender id request, in its account's partition (the account lists its own with one Query). */
export const senderRequestKey = (accountId: string, id: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `SENDERREQ#${id}`,
});

/** The operator's queue of requests in one status, oldest first (gsi1). */
export const senderRequestStatusKey = (status: string, createdAt: string, id: string) => ({
  gsi1pk: `SENDERREQ#${status}`,
  gsi1sk: `${createdAt}#${id}`,
});

/** Pointer from a request id to its account, so the operator can act on an id alone. */
export const senderRequestPointerKey = (id: string) => ({ pk: `SENDERREQ#${id}`, sk: 'SENDERREQ' });

/** One fixed one-second window of an account's request counter. */
export const rateWindowKey = (accountId: string, epochSecond: number) => ({
  pk: `RATE#${accountId}#${epochSecond}`,
  sk: 'RATE',
});
