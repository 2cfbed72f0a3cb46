import type { Account } from '#domain/account/account';

export interface LedgerEntry {
  readonly id: string;
  readonly accountId: string;
  /** Signed integer 1/10000 units: + top-up/refund, − charge. */
  readonly amount: number;
  readonly kind: 'top-up' | 'correction' | 'charge' | 'refund';
  readonly reason: string;
  /** Who caused it: 'operator', an account id, or 'system'. */
  readonly by: string;
  /** The message/batch it concerns, if any. */
  readonly ref?: string;
  readonly at: string;
}

export interface AccountRepository {
  get(accountId: string): Promise<Account | undefined>;
  /** Creates the account with its first API key record (hash only) in one transaction. */
  create(account: Account, apiKey: StoredApiKey): Promise<void>;
  /** Adds `entry.amount` to the balance and writes the ledger entry atomically; returns the new balance. */
  credit(entry: LedgerEntry): Promise<number>;
}

export interface StoredApiKey {
  readonly keyId: string;
  readonly accountId: string;
  /** Hash of the secret part (never the secret itself). */
  readonly secretHash: string;
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
}

export interface ApiKeyRepository {
  get(keyId: string): Promise<StoredApiKey | undefined>;
}

export interface BlocklistRepository {
  /** Where the number is blocked: the account's own list, the platform's global list, or nowhere. */
  find(accountId: string, e164: string): Promise<'account' | 'global' | undefined>;
}
