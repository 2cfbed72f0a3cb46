import { placeholderKey, type TemplateRow } from '#domain/message/template';

/**
 * The address book: named groups of contacts (MISSION item 1). A contact is a number (E.164, once per
 * group), optional first and last name, and custom fields kept from the file it came from; list
 * campaigns render `#field` placeholders from them (docs/contacts.md).
 */
export interface Contact {
  readonly phone: string;
  readonly firstName?: string;
  readonly lastName?: string;
  /** Other columns of the imported file, by their header (or column letter when it has none). */
  readonly fields?: Readonly<Record<string, string>>;
  readonly createdAt: string;
  readonly updatedAt?: string;
}

/**
 * `importing` while a file is indexed, `ready` after (or at once for an empty group), `failed` when the
 * file could not be read, `deleting` while its contacts are purged in the background (then it is gone).
 */
export type GroupStatus = 'importing' | 'ready' | 'failed' | 'deleting';

/** Where the data is in the uploaded file (columns as Excel shows them, rows 1-based). */
export interface ContactMapping {
  readonly sheet?: string | number;
  readonly firstRow: number;
  readonly phoneColumn: string;
  readonly firstNameColumn?: string;
  readonly lastNameColumn?: string;
  /** Columns other than phone and names: kept as custom fields, or skipped. */
  readonly otherColumns: 'keep' | 'skip';
}

/** What an import indexed: rows read, contacts kept, invalid rows by reason, duplicates within the file. */
export interface ImportSummary {
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  readonly duplicates: number;
  readonly reasons: Readonly<Record<string, number>>;
  readonly chunks: number;
}

export interface ContactGroup {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly status: GroupStatus;
  readonly reason?: string;
  /** Contacts in the group now. */
  readonly contacts: number;
  /** Custom field names its contacts may carry (the kept headers of its file). */
  readonly fieldNames: readonly string[];
  readonly uploadId?: string;
  readonly mapping?: ContactMapping;
  readonly import?: ImportSummary;
  readonly createdAt: string;
  readonly updatedAt?: string;
}

/** One parsed row of an imported file, as the import chunks carry it (and the review shows it). */
export interface ContactRow {
  /** Row number as Excel shows it. */
  readonly row: number;
  readonly status: 'ok' | 'invalid' | 'duplicate';
  /** The phone cell as written in the file (for invalid rows: what to fix). */
  readonly input?: string;
  readonly reason?: string;
  readonly contact?: Omit<Contact, 'createdAt'>;
}

/** What name search compares: first and last name, lower case, no accents (`Ștefan` ~ `stefan`). */
export function searchText(contact: Pick<Contact, 'firstName' | 'lastName'>): string {
  return normaliseName([contact.firstName, contact.lastName].filter(Boolean).join(' '));
}

export function normaliseName(text: string): string {
  return text.toLowerCase().normalize('NFD').replace(/\p{M}/gu, '').replace(/\s+/g, ' ').trim();
}

/** Header names of a contact's built-in fields for `#placeholders`, with their Romanian names. */
const BUILT_IN = {
  phone: ['Phone', 'Telefon'],
  firstName: ['First name', 'Prenume'],
  lastName: ['Last name', 'Nume'],
} as const;

const BUILT_IN_KEYS = new Set(Object.values(BUILT_IN).flatMap((names) => names.map(placeholderKey)));

/**
 * The "headers" a list campaign's text is matched against (docs/templates.md rules): the built-in fields
 * under both names, then the custom fields whose key does not shadow a built-in one.
 */
export function contactHeaders(fieldNames: Iterable<string>): string[] {
  const custom = [...new Set(fieldNames)].filter((name) => !BUILT_IN_KEYS.has(placeholderKey(name)));
  return [...Object.values(BUILT_IN).flat(), ...custom];
}

/** A contact as a template row keyed by {@link contactHeaders}; a null prototype: any name is a plain key. */
export function contactTemplateRow(contact: Omit<Contact, 'createdAt'>): TemplateRow {
  const row: Record<string, string | undefined> = Object.create(null);
  for (const [name, value] of Object.entries(contact.fields ?? {})) row[name] = value;
  for (const name of BUILT_IN.phone) row[name] = contact.phone;
  for (const name of BUILT_IN.firstName) row[name] = contact.firstName;
  for (const name of BUILT_IN.lastName) row[name] = contact.lastName;
  return row;
}

/** Limits on what a contact holds, so an item stays small (well under DynamoDB's 400 KB). */
export const CONTACT_LIMITS = { nameLength: 100, fields: 50, fieldNameLength: 100, fieldValueLength: 500 };
