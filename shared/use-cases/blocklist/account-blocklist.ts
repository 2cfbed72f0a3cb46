import type { Account } from '#domain/account/account';
import { type AccountBlockEntry, blocklistReason } from '#domain/blocklist/blocklist';
import { InvalidNumber, NotFound } from '#domain/errors';
import { normalisePhoneNumber } from '#domain/phone/phone-number';
import type { AccountBlocklistRepository } from '#ports/account-blocklist';
import type { BlocklistRepository, Page } from '#ports/account-repository';
import type { Clock } from '#ports/clock';

export interface AccountBlocklistDeps {
  readonly accountBlocklist: AccountBlocklistRepository;
  /** Both lists by key, as the send paths read them (for `checkBlocklist`). */
  readonly blocklist: BlocklistRepository;
  readonly clock: Clock;
}

/** The account whose list it is: its id (from the API key) and its country (for national numbers). */
export type BlocklistOwner = { readonly accountId: string; readonly account: Pick<Account, 'country'> };

/**
 * Any valid number (landlines too: blocking one is harmless), national input read in the account's
 * country. The send paths compare E.164 strings, so every entry is E.164.
 */
export function blockedNumber(owner: BlocklistOwner, input: string): string {
  const number = normalisePhoneNumber(input, { defaultCountry: owner.account.country, requireMobile: false });
  if (!number.ok) {
    throw new InvalidNumber(`Not a valid phone number: ${number.reason}`, {
      details: { reason: number.reason },
    });
  }
  return number.e164;
}

/**
 * Puts a number on the account's blocklist (the customer, an import, or a STOP reply).
 * 1. Normalise it to E.164 (`InvalidNumber` otherwise).
 * 2. Add it, or update the reason of an entry already there (`created` says which).
 * From then on every send path of this account refuses it with reason `blocklisted (account)`.
 */
export async function addToBlocklist(
  deps: Pick<AccountBlocklistDeps, 'accountBlocklist' | 'clock'>,
  owner: BlocklistOwner,
  input: { number: string; reason?: string; by?: string },
): Promise<{ created: boolean; entry: AccountBlockEntry }> {
  return deps.accountBlocklist.put({
    accountId: owner.accountId,
    number: blockedNumber(owner, input.number),
    createdAt: deps.clock.now().toISOString(),
    createdBy: input.by ?? owner.accountId,
    ...(input.reason ? { reason: input.reason } : {}),
  });
}

/** Takes a number off the account's list (404 when it was not on it). */
export async function removeFromBlocklist(
  deps: Pick<AccountBlocklistDeps, 'accountBlocklist'>,
  owner: BlocklistOwner,
  input: { number: string },
): Promise<void> {
  const removed = await deps.accountBlocklist.remove(owner.accountId, blockedNumber(owner, input.number));
  if (!removed) throw new NotFound("The number is not on the account's blocklist");
}

/** The account's list in number order, one page at a time. */
export function listBlocklist(
  deps: Pick<AccountBlocklistDeps, 'accountBlocklist'>,
  owner: BlocklistOwner,
  page: { limit: number; cursor?: string },
): Promise<Page<AccountBlockEntry>> {
  return deps.accountBlocklist.list(owner.accountId, page);
}

export interface BlocklistCheck {
  readonly number: string;
  readonly blocked: boolean;
  /** Which list refuses it; the platform's list wins when it is on both. */
  readonly list?: 'account' | 'global';
  /** What a send to it would be refused with: `blocklisted (account)` / `blocklisted (platform)`. */
  readonly reason?: string;
  /** The account entry's own note, when it is on the account's list. */
  readonly note?: string;
}

/** Would a send to this number be refused? The same two key reads as the send path. */
export async function checkBlocklist(
  deps: Pick<AccountBlocklistDeps, 'accountBlocklist' | 'blocklist'>,
  owner: BlocklistOwner,
  input: { number: string },
): Promise<BlocklistCheck> {
  const number = blockedNumber(owner, input.number);
  const hit = await deps.blocklist.find(owner.accountId, number);
  if (!hit) return { number, blocked: false };
  const entry = hit === 'account' ? await deps.accountBlocklist.get(owner.accountId, number) : undefined;
  return {
    number,
    blocked: true,
    list: hit,
    reason: blocklistReason(hit),
    ...(entry?.reason ? { note: entry.reason } : {}),
  };
}
