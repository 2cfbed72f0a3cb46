/**
 * The one DynamoDB table, declared once. `infra/` builds the CDK table from it, the local stack creates
 * the same table in DynamoDB Local from it, and the tests read it: the three cannot drift.
 * Access patterns (which use case reads what by which key) are in docs/access-patterns.md.
 */
export const TABLE = {
  /** Local/default physical name; deployed, CDK names it and passes TABLE_NAME to every function. */
  localName: 'sms-platform',
  partitionKey: 'pk',
  sortKey: 'sk',
  /** Epoch seconds; idempotency records and other short-lived items expire through it. */
  ttlAttribute: 'expiresAt',
  globalSecondaryIndexes: [
    /** Per-account listings in time order (messages newest first, ledger, keys). */
    { indexName: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' },
  ],
} as const;

export type GsiName = (typeof TABLE.globalSecondaryIndexes)[number]['indexName'];
