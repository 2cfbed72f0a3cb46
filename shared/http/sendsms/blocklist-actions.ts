import { addToBlocklist, checkBlocklist, removeFromBlocklist } from '#use-cases/blocklist/account-blocklist';
import { type Action, required } from './context';
import { answer, SENDSMS_STATUS } from './response';

const number = (params: Readonly<Record<string, string>>) => required(params, 'phonenumber').trim();

/** `blocklist_add(phonenumber)`: on the account's blocklist from now on (already there: still OK). */
export const blocklistAdd: Action = async ({ deps, caller, params }) => {
  const { entry, created } = await addToBlocklist(deps, caller, {
    number: number(params),
    reason: 'sendSMS API',
  });
  return answer(SENDSMS_STATUS.ok, 'OK', { phonenumber: entry.number.replace(/^\+/, ''), added: created });
};

/** `blocklist_del(phonenumber)`: off the account's list (-128 when it was not on it). */
export const blocklistDel: Action = async ({ deps, caller, params }) => {
  await removeFromBlocklist(deps, caller, { number: number(params) });
  return answer(SENDSMS_STATUS.ok, 'OK', null);
};

/**
 * `blocklist_check(phonenumber)`: whether a send would be refused. Pipedream shows "The phone number
 * … is {message}", hence the message text.
 */
export const blocklistCheck: Action = async ({ deps, caller, params }) => {
  const check = await checkBlocklist(deps, caller, { number: number(params) });
  return answer(SENDSMS_STATUS.ok, check.blocked ? 'in the blocklist' : 'not in the blocklist', {
    phonenumber: check.number.replace(/^\+/, ''),
    blocked: check.blocked,
    list: check.list ?? null,
  });
};
