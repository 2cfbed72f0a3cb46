import type { Contact, ContactGroup, GroupStatus, ImportSummary } from '#domain/contacts/contact';
import type { Page } from './account-repository';

/** How contacts of a group are looked up: all, by number prefix, or by name (substring, accent-blind). */
export interface ContactQuery {
  readonly limit: number;
  readonly cursor?: string;
  /** E.164 prefix (`+40722`). */
  readonly phonePrefix?: string;
  /** Already normalised with `normaliseName`. */
  readonly name?: string;
}

export interface GroupChanges {
  readonly name?: string;
  readonly status?: GroupStatus;
  readonly reason?: string;
  readonly contacts?: number;
  readonly fieldNames?: readonly string[];
  readonly import?: ImportSummary;
  readonly updatedAt?: string;
}

/** Contact groups and their contacts (one partition per group). Keys always start with the account id. */
export interface ContactGroupRepository {
  createGroup(group: ContactGroup): Promise<void>;
  getGroup(accountId: string, groupId: string): Promise<ContactGroup | undefined>;
  listGroups(accountId: string, page: { limit: number; cursor?: string }): Promise<Page<ContactGroup>>;
  /** Applies `changes` if the group's status is one of `when`; undefined otherwise (or when it is gone). */
  updateGroup(
    accountId: string,
    groupId: string,
    changes: GroupChanges,
    when: readonly GroupStatus[],
  ): Promise<ContactGroup | undefined>;
  deleteGroup(accountId: string, groupId: string): Promise<void>;
  /** Writes imported contacts (BatchWriteItem, 25 at a time, unprocessed items retried); idempotent. */
  putContacts(accountId: string, groupId: string, contacts: readonly Contact[]): Promise<void>;
  /** Adds one contact and counts it on a `ready` group, atomically; false when the number is there already. */
  addContact(accountId: string, groupId: string, contact: Contact): Promise<boolean>;
  getContact(accountId: string, groupId: string, phone: string): Promise<Contact | undefined>;
  /**
   * Replaces a contact (the number may change: the old item goes, the new one must not exist), on a
   * `ready` group. 'missing' / 'taken' say why nothing changed.
   */
  replaceContact(
    accountId: string,
    groupId: string,
    phone: string,
    contact: Contact,
  ): Promise<'ok' | 'missing' | 'taken'>;
  /** Deletes one contact and uncounts it, atomically; false when there was none. */
  deleteContact(accountId: string, groupId: string, phone: string): Promise<boolean>;
  listContacts(accountId: string, groupId: string, query: ContactQuery): Promise<Page<Contact>>;
  /** Every contact of a group, in number order, a page at a time (list campaigns read whole groups). */
  streamContacts(accountId: string, groupId: string): AsyncGenerator<Contact[]>;
  /** Deletes up to `max` contacts of the group; `done` once none are left. */
  purgeContacts(accountId: string, groupId: string, max: number): Promise<{ deleted: number; done: boolean }>;
}
