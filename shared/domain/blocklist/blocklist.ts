/**
 * Blocklists: numbers nobody may send to — the account's own list (the customer's, and STOP replies)
 * and the platform's global list (the operator's). Both apply to every send path.
 */
export type BlocklistName = 'account' | 'global';

/** One number on an account's blocklist. */
export interface AccountBlockEntry {
  readonly accountId: string;
  /** E.164 with '+'. */
  readonly number: string;
  readonly reason?: string;
  readonly createdAt: string;
  /** An account id, `import:<uploadId>`, `mo:<keyword>`... */
  readonly createdBy: string;
}

/**
 * The reason shown wherever a number was refused for being blocklisted: a single send's 422 details, a
 * batch row's `reason`, reports and exports. Stable strings: clients and tests compare them.
 */
export function blocklistReason(list: BlocklistName): 'blocklisted (account)' | 'blocklisted (platform)' {
  return list === 'global' ? 'blocklisted (platform)' : 'blocklisted (account)';
}
