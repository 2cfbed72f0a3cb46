import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
import type { Page } from './account-repository';

/**
 * Management of an account's own blocklist. The send paths only ask "is it blocked?" through
 * `BlocklistRepository`, which reads the same items by key.
 */
export interface AccountBlocklistRepository {
  get(accountId: string, e164: string): Promise<AccountBlockEntry | undefined>;
  /** Adds the number (`created: true`) or updates the reason of an existing entry. */
  put(entry: AccountBlockEntry): Promise<{ created: boolean; entry: AccountBlockEntry }>;
  /**
   * Adds many numbers of one account (an import); numbers already listed are left as they are.
   * Answers how many were added, and how many of the rest were listed with the same `createdBy` as the
   * entries (`again`: an earlier attempt of the same import wrote them); the others were on the list.
   */
  addMany(entries: readonly AccountBlockEntry[]): Promise<{ added: number; again: number }>;
  /** False when the number was not on the list. */
  remove(accountId: string, e164: string): Promise<boolean>;
  /** In number order. */
  list(accountId: string, page: { limit: number; cursor?: string }): Promise<Page<AccountBlockEntry>>;
}
