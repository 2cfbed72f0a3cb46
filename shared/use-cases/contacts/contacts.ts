import { CONTACT_LIMITS, type Contact, normaliseName } from '#domain/contacts/contact';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import { countryPlan } from '#domain/phone/numbering-plans';
import type { Page } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { Caller } from '../accounts';
import { resolveDestination } from '../compose-message';
import { getGroup } from './groups';

export interface ContactDeps {
  readonly contactGroups: ContactGroupRepository;
  readonly clock: Clock;
}

export interface ContactInput {
  readonly phone: string;
  readonly firstName?: string;
  readonly lastName?: string;
  readonly fields?: Readonly<Record<string, string>>;
}

/** A number as the caller types it → E.164 (the account's country for national numbers; mobile only). */
export function contactNumber(caller: Pick<Caller, 'account'>, input: string): string {
  return resolveDestination(input, caller.account);
}

/**
 * A number prefix as typed (`0722`, `+40722`, `0040722`, `40722`) → an E.164 prefix: a national trunk
 * `0` takes the account's calling code. Not libphonenumber's job: a prefix is no number yet.
 */
export function phonePrefix(caller: Pick<Caller, 'account'>, input: string): string {
  const digits = input.replace(/[\s().-]/g, '');
  if (!/^\+?\d*$/.test(digits)) throw new ValidationFailed('phone must be digits, optionally after +');
  if (digits.startsWith('+')) return digits;
  if (digits.startsWith('00')) return `+${digits.slice(2)}`;
  if (digits.startsWith('0'))
    return `+${countryPlan(caller.account.country)?.callingCode ?? ''}${digits.slice(1)}`;
  return `+${digits}`;
}

function checkFields(fields: Readonly<Record<string, string>> | undefined) {
  if (!fields) return;
  const entries = Object.entries(fields);
  if (entries.length > CONTACT_LIMITS.fields)
    throw new ValidationFailed(`At most ${CONTACT_LIMITS.fields} fields`);
}

/** The contacts of a group can change only while it is `ready` (not during an import or a purge). */
async function readyGroup(deps: ContactDeps, caller: Caller, groupId: string) {
  const group = await getGroup(deps, caller, groupId);
  if (group.status !== 'ready') throw new Conflict('GROUP_NOT_READY', `The group is ${group.status}`);
  return group;
}

function contactOf(caller: Caller, input: ContactInput, createdAt: string, updatedAt?: string): Contact {
  checkFields(input.fields);
  return {
    phone: contactNumber(caller, input.phone),
    ...(input.firstName ? { firstName: input.firstName } : {}),
    ...(input.lastName ? { lastName: input.lastName } : {}),
    ...(input.fields && Object.keys(input.fields).length > 0 ? { fields: input.fields } : {}),
    createdAt,
    ...(updatedAt ? { updatedAt } : {}),
  };
}

/** Adds a contact to a ready group; its number normalised; 409 `CONTACT_EXISTS` when it is already there. */
export async function addContact(deps: ContactDeps, caller: Caller, groupId: string, input: ContactInput) {
  await readyGroup(deps, caller, groupId);
  const contact = contactOf(caller, input, deps.clock.now().toISOString());
  if (!(await deps.contactGroups.addContact(caller.accountId, groupId, contact)))
    throw new Conflict('CONTACT_EXISTS', `${contact.phone} is already in the group`);
  return contact;
}

export async function getContact(deps: ContactDeps, caller: Caller, groupId: string, phone: string) {
  await getGroup(deps, caller, groupId);
  const contact = await deps.contactGroups.getContact(
    caller.accountId,
    groupId,
    contactNumber(caller, phone),
  );
  if (!contact) throw new NotFound('Contact not found');
  return contact;
}

/** Edits a contact (fields given replace the old ones; a new number moves it, 409 if that one is taken). */
export async function updateContact(
  deps: ContactDeps,
  caller: Caller,
  groupId: string,
  phone: string,
  changes: Partial<ContactInput>,
) {
  await readyGroup(deps, caller, groupId);
  const old = await getContact(deps, caller, groupId, phone);
  const merged = { ...old, ...changes, phone: changes.phone ?? old.phone };
  const contact = contactOf(caller, merged, old.createdAt, deps.clock.now().toISOString());
  const result = await deps.contactGroups.replaceContact(caller.accountId, groupId, old.phone, contact);
  if (result === 'missing') throw new NotFound('Contact not found');
  if (result === 'taken') throw new Conflict('CONTACT_EXISTS', `${contact.phone} is already in the group`);
  return contact;
}

export async function deleteContact(deps: ContactDeps, caller: Caller, groupId: string, phone: string) {
  await readyGroup(deps, caller, groupId);
  if (!(await deps.contactGroups.deleteContact(caller.accountId, groupId, contactNumber(caller, phone))))
    throw new NotFound('Contact not found');
}

/** Lists (in number order) or searches a group's contacts: by number prefix and/or name, paged. */
export async function listContacts(
  deps: ContactDeps,
  caller: Caller,
  groupId: string,
  query: { limit: number; cursor?: string; phone?: string; name?: string },
): Promise<Page<Contact>> {
  await getGroup(deps, caller, groupId);
  const name = query.name === undefined ? undefined : normaliseName(query.name);
  return deps.contactGroups.listContacts(caller.accountId, groupId, {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
    ...(query.phone ? { phonePrefix: phonePrefix(caller, query.phone) } : {}),
    ...(name ? { name } : {}),
  });
}
