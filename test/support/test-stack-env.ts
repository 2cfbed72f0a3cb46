/**
 * Environment of the integration tests' local stack beyond its defaults: limits lowered so that tests
 * reach the paths past them with small files (the suite stays fast).
 */
export const TEST_STACK_ENV = {
  /** Blocklist imports above 1 000 data rows run in the import-blocklist workflow (default 10 000). */
  BLOCKLIST_IMPORT_SYNC_MAX_ROWS: '1000',
} as const;
