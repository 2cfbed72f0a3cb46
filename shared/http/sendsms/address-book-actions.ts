import type { Contact, ContactGroup } from '#domain/contacts/contact';
import { addContact, deleteContact, listContacts, updateContact } from '#use-cases/contacts/contacts';
import { createGroup, deleteGroup, listGroups } from '#use-cases/contacts/groups';
import { type Action, optional, required } from './context';
import { answer, InvalidParameter, SENDSMS_STATUS } from './response';

/**
 * The upstream's address book over the platform's contact groups. Upstream contacts have one numeric id;
 * here a contact is its group plus its number, so its `id` is `<groupId>:<number digits>`, which
 * `address_book_contact_update` / `_delete` take back.
 */
const contactId = (groupId: string, contact: Contact) => `${groupId}:${contact.phone.replace(/^\+/, '')}`;

function parseContactId(value: string): { groupId: string; phone: string } {
  const at = value.lastIndexOf(':');
  if (at <= 0 || at === value.length - 1) throw new InvalidParameter('contact_id is <group id>:<number>');
  return { groupId: value.slice(0, at), phone: `+${value.slice(at + 1)}` };
}

const groupDetails = (group: ContactGroup) => ({
  id: group.id,
  name: group.name,
  contacts: group.contacts,
  status: group.status,
});

const contactDetails = (groupId: string, contact: Contact) => ({
  id: contactId(groupId, contact),
  group_id: groupId,
  phone_number: contact.phone.replace(/^\+/, ''),
  first_name: contact.firstName ?? '',
  last_name: contact.lastName ?? '',
});

/** `address_book_groups_get_list` → `[{ id, name }]` (Pipedream reads `details.map(({ id, name }) …)`). */
export const groupsGetList: Action = async ({ deps, caller }) => {
  const page = await listGroups(deps, caller, { limit: 1000 });
  return answer(SENDSMS_STATUS.ok, 'OK', page.items.map(groupDetails));
};

/** `address_book_group_add(name)` → details = the new group's id. */
export const groupAdd: Action = async ({ deps, caller, params }) => {
  const group = await createGroup(deps, caller, { name: required(params, 'name').trim().slice(0, 200) });
  return answer(SENDSMS_STATUS.ok, 'OK', group.id);
};

/** `address_book_group_delete(group_id)`: the group is gone at once; its contacts are purged after. */
export const groupDelete: Action = async ({ deps, caller, params }) => {
  await deleteGroup(deps, caller, required(params, 'group_id').trim());
  return answer(SENDSMS_STATUS.ok, 'OK', null);
};

/** `address_book_contacts_get_list(group_id)` → `[{ id, phone_number, first_name, last_name }]`. */
export const contactsGetList: Action = async ({ deps, caller, params }) => {
  const groupId = required(params, 'group_id').trim();
  const page = await listContacts(deps, caller, groupId, { limit: 1000 });
  return answer(
    SENDSMS_STATUS.ok,
    'OK',
    page.items.map((contact) => contactDetails(groupId, contact)),
  );
};

/** `address_book_contact_add(group_id, phone_number, first_name?, last_name?)` → the contact id (-512 if there). */
export const contactAdd: Action = async ({ deps, caller, params }) => {
  const groupId = required(params, 'group_id').trim();
  const firstName = optional(params, 'first_name');
  const lastName = optional(params, 'last_name');
  const contact = await addContact(deps, caller, groupId, {
    phone: required(params, 'phone_number').trim(),
    ...(firstName === undefined ? {} : { firstName: firstName.trim() }),
    ...(lastName === undefined ? {} : { lastName: lastName.trim() }),
  });
  return answer(SENDSMS_STATUS.ok, 'OK', contactId(groupId, contact));
};

/** `address_book_contact_update(contact_id, phone_number?, first_name?, last_name?)`. */
export const contactUpdate: Action = async ({ deps, caller, params }) => {
  const { groupId, phone } = parseContactId(required(params, 'contact_id').trim());
  const changes = {
    ...(optional(params, 'phone_number') === undefined ? {} : { phone: String(params.phone_number).trim() }),
    ...(params.first_name === undefined ? {} : { firstName: params.first_name.trim() }),
    ...(params.last_name === undefined ? {} : { lastName: params.last_name.trim() }),
  };
  const contact = await updateContact(deps, caller, groupId, phone, changes);
  return answer(SENDSMS_STATUS.ok, 'OK', contactDetails(groupId, contact));
};

/** `address_book_contact_delete(contact_id)`. */
export const contactDelete: Action = async ({ deps, caller, params }) => {
  const { groupId, phone } = parseContactId(required(params, 'contact_id').trim());
  await deleteContact(deps, caller, groupId, phone);
  return answer(SENDSMS_STATUS.ok, 'OK', null);
};
