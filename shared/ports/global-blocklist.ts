import type { Page } from './account-repository';

/** One number on the platform's blocklist: nobody on the platform may send to it. */
export interface GlobalBlockEntry {
  /** E.164 with '+'. */
  readonly number: string;
  readonly reason?: string;
  readonly createdAt: string;
  readonly createdBy: string;
  readonly updatedAt?: string;
}

/**
 * The operator's management of the global blocklist. The send path only asks "is it blocked?"
 * (`BlocklistRepository.find`), which reads the same items by key.
 */
export interface GlobalBlocklistRepository {
  list(page: { limit: number; cursor?: string }): Promise<Page<GlobalBlockEntry>>;
  /** Adds the number (`created: true`) or updates the reason of an existing entry. */
  put(entry: GlobalBlockEntry): Promise<{ created: boolean; entry: GlobalBlockEntry }>;
  /** Removes the number; false when it was not on the list. */
  remove(e164: string): Promise<boolean>;
}
