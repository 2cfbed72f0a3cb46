/**
 * Key builders for every entity in the single table (see docs/access-patterns.md). Every key of an
 * account's data starts with the account id taken from the authenticated caller, never from input.
 */
export const accountKey = (accountId: string) => ({ pk: `ACCOUNT#${accountId}`, sk: 'ACCOUNT' });

export const ledgerKey = (accountId: string, at: string, entryId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `LEDGER#${at}#${entryId}`,
});

/** Guards a one-time operation (a top-up or transfer with an idempotency key) of an account. */
export const operationKey = (accountId: string, operationId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `OP#${operationId}`,
});

/** What an account reserved on one UTC day, for its optional daily spend limit. */
export const dailySpendKey = (accountId: string, day: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `SPEND#${day}`,
});

/** Reserves a username platform-wide (case-insensitive); points at the account. */
export const usernameKey = (username: string) => ({
  pk: `USERNAME#${username.toLowerCase()}`,
  sk: 'USERNAME',
});

/** Subusers of an account (gsi1). */
export const subuserListKey = (parentId: string, createdAt: string) => ({
  gsi1pk: `ACCOUNT#${parentId}#SUBUSERS`,
  gsi1sk: createdAt,
});

export const apiKeyKey = (keyId: string) => ({ pk: `APIKEY#${keyId}`, sk: 'APIKEY' });

export const messageKey = (accountId: string, messageId: string) => ({
  pk: `ACCOUNT#${accountId}#MSG#${messageId}`,
  sk: 'MSG',
});

/** Messages of an account, newest first (gsi1, scanned backwards). */
export const messageListKey = (accountId: string, createdAt: string, messageId: string) => ({
  gsi1pk: `ACCOUNT#${accountId}#MSGS`,
  gsi1sk: `${createdAt}#${messageId}`,
});

export const idempotencyKey = (accountId: string, key: string) => ({
  pk: `ACCOUNT#${accountId}#IDEM#${key}`,
  sk: 'IDEM',
});

export const accountBlockKey = (accountId: string, e164: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `BLOCK#${e164}`,
});

export const globalBlockKey = (e164: string) => ({ pk: 'PLATFORM', sk: `BLOCK#${e164}` });

/** Idempotency records live 24 hours (TTL), longer than any client's retry window. */
export const IDEMPOTENCY_TTL_SECONDS = 24 * 3600;

/** A saved message template of an account (listed with `begins_with(sk, 'TEMPLATE#')`). */
export const templateKey = (accountId: string, templateId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `TEMPLATE#${templateId}`,
});

/** Replies (MO) of an account, newest first: the partition is the account's inbox. */
export const inboundKey = (accountId: string, receivedAt: string, id: string) => ({
  pk: `ACCOUNT#${accountId}#INBOUND`,
  sk: `${receivedAt}#${id}`,
});

/** The same replies by replier (gsi1), for `GET /v1/inbound?number=`. */
export const inboundByNumberKey = (accountId: string, number: string, receivedAt: string, id: string) => ({
  gsi1pk: `ACCOUNT#${accountId}#INBOUND#${number}`,
  gsi1sk: `${receivedAt}#${id}`,
});

/** "Last sent to <to> from <address>": where a reply from `to` to our `address` goes. */
export const replyRouteKey = (address: string, to: string) => ({
  pk: `REPLYTO#${address}#${to}`,
  sk: 'REPLYTO',
});

/** A platform number dedicated to one account (every reply to it goes there). */
export const dedicatedNumberKey = (address: string) => ({ pk: `NUMBER#${address}`, sk: 'NUMBER' });
export const dedicatedNumberListKey = (address: string) => ({ gsi1pk: 'NUMBERS', gsi1sk: address });

/** The account's callback signing secret, apart from the account item so account reads never carry it. */
export const callbackSecretKey = (accountId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: 'CALLBACKSECRET',
});

/** A short link, found by its public code (`GET /l/{code}`). */
export const shortLinkKey = (code: string) => ({ pk: `LINK#${code}`, sk: 'LINK' });

/** An account's short links, newest first (gsi1). */
export const shortLinkListKey = (accountId: string, createdAt: string, code: string) => ({
  gsi1pk: `ACCOUNT#${accountId}#LINKS`,
  gsi1sk: `${createdAt}#${code}`,
});

/** A recipient's unsubscribe link, found by its public code (`/u/{code}`). */
export const unsubscribeLinkKey = (code: string) => ({ pk: `UNSUB#${code}`, sk: 'UNSUB' });

/** A recurring campaign definition, in the account's partition (listed with `begins_with(sk, 'RECURRING#')`). */
export const recurringCampaignKey = (accountId: string, id: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `RECURRING#${id}`,
});

/** Replies that matched no account: one platform partition, newest last (operator only). */
export const unmatchedInboundKey = (receivedAt: string, id: string) => ({
  pk: 'PLATFORM#INBOUND#UNMATCHED',
  sk: `${receivedAt}#${id}`,
});

/** Codes sent for the account on one UTC day (TTL `expiresAt` a day after). */
export const phoneCodesDayKey = (accountId: string, day: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `PHONEVERIFY#DAY#${day}`,
});

/** Codes sent to one number on one UTC day, whichever accounts asked (platform-wide; TTL as above). */
export const phoneCodesNumberDayKey = (number: string, day: string) => ({
  pk: `PLATFORM#PHONEVERIFY#${number}`,
  sk: `DAY#${day}`,
});

/** The account's pending phone verification (one at a time; TTL `expiresAt`). */
export const phoneVerificationKey = (accountId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: 'PHONEVERIFY',
});

/** An asynchronous blocklist import of the account (its progress and report). */
export const blocklistImportKey = (accountId: string, importId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `BLOCKLISTIMPORT#${importId}`,
});

/** A results export of one of the account's batches (docs/access-patterns.md, "Results exports"). */
export const resultsExportKey = (accountId: string, batchId: string, exportId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `EXPORT#${batchId}#${exportId}`,
});

/** The dedup slot of export requests: per batch, format and Idempotency-Key; names the export it holds. */
export const resultsExportSlotKey = (accountId: string, batchId: string, slot: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `EXPORTSLOT#${batchId}#${slot}`,
});
