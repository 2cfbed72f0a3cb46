import type { Account } from '#domain/account/account';

/**
 * One change of an account's money. `amount` is the change of `balance` (so the balance is always the
 * sum of its ledger's amounts); `reservedDelta` the change of `reserved`; `spentDelta` of `spent`.
 */
export interface LedgerEntry {
  /** Deterministic where a replay must not apply twice (a retried top-up or transfer). */
  readonly id: string;
  readonly accountId: string;
  readonly amount: number;
  readonly reservedDelta?: number;
  readonly spentDelta?: number;
  readonly kind: 'top-up' | 'correction' | 'reserve' | 'settle' | 'refund' | 'transfer-in' | 'transfer-out';
  readonly reason: string;
  /** Who caused it: the operator's identity, an account id, or 'system'. */
  readonly by: string;
  /** The message/transfer it concerns, if any. */
  readonly ref?: string;
  readonly at: string;
}

export interface StoredApiKey {
  readonly keyId: string;
  readonly accountId: string;
  /** Hash of the secret part (never the secret itself). */
  readonly secretHash: string;
  readonly status: 'active' | 'revoked';
  readonly createdAt: string;
  readonly name?: string;
}

export type AccountChanges = Partial<
  Pick<
    Account,
    | 'status'
    | 'name'
    | 'country'
    | 'timezone'
    | 'notificationEmail'
    | 'receivesReplies'
    | 'billing'
    | 'passwordHash'
    | 'billingDetails'
    | 'priceListId'
    | 'senderIds'
    | 'maxParts'
    | 'dailySpendLimit'
    | 'requestsPerSecond'
    | 'partsPerSecond'
    | 'phone'
    | 'phoneVerifiedAt'
  >
>;

export interface Page<T> {
  readonly items: readonly T[];
  /** Opaque; pass back to get the next page. Absent on the last page. */
  readonly cursor?: string;
}

export interface AccountRepository {
  get(accountId: string): Promise<Account | undefined>;
  /**
   * Creates the account with its first API key record (hash only) and, if it has a username, the
   * username's reservation, in one transaction. `UsernameTaken` when the username exists.
   */
  create(account: Account, apiKey: StoredApiKey): Promise<void>;
  /** Applies a top-up/correction and its ledger entry atomically; a replayed entry id changes nothing. */
  credit(entry: LedgerEntry): Promise<number>;
  update(accountId: string, changes: AccountChanges): Promise<Account | undefined>;
  /** Moves credit between two accounts in one transaction (`InsufficientCredit` if `from` is short). */
  transfer(input: {
    id: string;
    from: string;
    to: string;
    amount: number;
    by: string;
    at: string;
  }): Promise<void>;
  ledger(accountId: string, page: { limit: number; cursor?: string }): Promise<Page<LedgerEntry>>;
  findByUsername(username: string): Promise<Account | undefined>;
  listSubusers(parentId: string): Promise<readonly Account[]>;
}

export interface ApiKeyRepository {
  get(keyId: string): Promise<StoredApiKey | undefined>;
  put(key: StoredApiKey): Promise<void>;
  list(accountId: string): Promise<readonly StoredApiKey[]>;
  revoke(accountId: string, keyId: string): Promise<boolean>;
}

export interface BlocklistRepository {
  /** Where the number is blocked: the account's own list, the platform's global list, or nowhere. */
  find(accountId: string, e164: string): Promise<'account' | 'global' | undefined>;
  /** The same for many numbers at once (batches): only the blocked ones are in the answer. */
  findMany(accountId: string, numbers: readonly string[]): Promise<ReadonlyMap<string, 'account' | 'global'>>;
}
