import type { Contact, ContactGroup, ContactRow } from '#domain/contacts/contact';

/** The public shape of a contact group. */
export function groupView(group: ContactGroup) {
  return {
    id: group.id,
    name: group.name,
    status: group.status,
    ...(group.reason ? { reason: group.reason } : {}),
    contacts: group.contacts,
    fieldNames: group.fieldNames,
    ...(group.uploadId ? { uploadId: group.uploadId, mapping: group.mapping } : {}),
    ...(group.import ? { import: group.import } : {}),
    createdAt: group.createdAt,
    ...(group.updatedAt ? { updatedAt: group.updatedAt } : {}),
  };
}

export function contactView(contact: Contact) {
  return {
    phone: contact.phone,
    ...(contact.firstName ? { firstName: contact.firstName } : {}),
    ...(contact.lastName ? { lastName: contact.lastName } : {}),
    fields: contact.fields ?? {},
    createdAt: contact.createdAt,
    ...(contact.updatedAt ? { updatedAt: contact.updatedAt } : {}),
  };
}

/** A row of the import review: its row number, what the phone cell held, and why it was not kept. */
export function importRowView(row: ContactRow) {
  return {
    row: row.row,
    status: row.status,
    input: row.input ?? '',
    ...(row.reason ? { reason: row.reason } : {}),
  };
}

export function pageView<T, V>(page: { items: readonly T[]; cursor?: string }, view: (item: T) => V) {
  return { items: page.items.map(view), ...(page.cursor ? { cursor: page.cursor } : {}) };
}
