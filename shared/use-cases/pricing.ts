import type { Account } from '#domain/account/account';
import { Conflict, InvalidNumber, NotFound, NotRoutable, ValidationFailed } from '#domain/errors';
import { InvalidAmount, parseMoney } from '#domain/money';
import { type NormaliseOptions, normalisePhoneNumber } from '#domain/phone/phone-number';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import {
  InvalidPriceList,
  makePriceIndex,
  type PriceEntry,
  type PriceList,
  quote,
} from '#domain/pricing/price-list';
import type { AccountRepository } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { PriceListStore, StoredPriceList } from '#ports/price-list-store';
import type { PriceListRepository } from '#ports/price-lists';

/** A price list as the operator sees it; the built-in default is shown until one is stored. */
export type PriceListWithOrigin = PriceList & Partial<StoredPriceList> & { readonly builtIn?: boolean };

const DEFAULT_ID = DEFAULT_PRICE_LIST.id;
const LIST_ID = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const CURRENCY = /^[A-Z]{3}$/;
const MAX_ENTRIES = 2000;

/** Normaliser options per country, reused so each country's normaliser is compiled once. */
const numberOptions = new Map<string, NormaliseOptions>();

/**
 * What one part to `to` costs the caller: the route check before a send.
 * 1. Read the caller's account (its country completes national numbers).
 * 2. Normalise the number as a send would (mobile only): `InvalidNumber` with the reason otherwise.
 * 3. Price one part with the account's list: `NotRoutable` when no prefix matches.
 */
export async function checkPrice(
  deps: { accounts: Pick<AccountRepository, 'get'>; priceLists: PriceListRepository },
  command: { accountId: string; to: string },
) {
  const account = await deps.accounts.get(command.accountId);
  if (!account) throw new NotFound('Account not found');
  let options = numberOptions.get(account.country);
  if (!options) {
    options = { defaultCountry: account.country, requireMobile: true };
    numberOptions.set(account.country, options);
  }
  const number = normalisePhoneNumber(command.to, options);
  if (!number.ok) {
    throw new InvalidNumber(`Not a valid mobile number: ${number.reason}`, {
      details: { reason: number.reason },
    });
  }
  const list = await deps.priceLists.forAccount(account);
  const price = quote(list, number.e164, 1);
  if (!price.ok) throw new NotRoutable(`No route to ${number.e164}`, { details: { to: number.e164 } });
  return {
    to: number.e164,
    country: number.country ?? price.country,
    ...(price.network === undefined ? {} : { network: price.network }),
    prefix: price.prefix,
    pricePerPart: price.pricePerPart,
    currency: price.currency,
  };
}

export interface SavePriceListCommand {
  readonly id: string;
  readonly currency: string;
  readonly entries: readonly { prefix: string; price: string; network?: string; country?: string }[];
  readonly by: string;
}

/**
 * The operator creates or replaces a price list (the `default` one overrides the built-in list).
 * 1. Check the id, currency and size; parse every price as a decimal string (never a float).
 * 2. Validate the whole list with `makePriceIndex` (prefixes, prices, duplicates): all or nothing.
 * 3. Store it; senders see it within the price-list cache time.
 */
export async function savePriceList(
  deps: { priceLists: PriceListStore; clock: Clock },
  command: SavePriceListCommand,
): Promise<{ created: boolean; list: StoredPriceList }> {
  if (!LIST_ID.test(command.id))
    throw new ValidationFailed('A price list id is 1-64 letters, digits, - or _');
  if (!CURRENCY.test(command.currency)) throw new ValidationFailed('currency is an ISO 4217 code, e.g. EUR');
  if (command.entries.length > MAX_ENTRIES) {
    throw new ValidationFailed(`A price list has at most ${MAX_ENTRIES} entries`);
  }
  const entries = command.entries.map((entry, index): PriceEntry => {
    let pricePerPart: number;
    try {
      pricePerPart = parseMoney(entry.price);
    } catch (error) {
      if (!(error instanceof InvalidAmount)) throw error;
      throw new ValidationFailed(`entries.${index}.price is not a decimal amount with at most 4 decimals`, {
        details: [{ path: `entries.${index}.price`, message: error.message }],
      });
    }
    return {
      prefix: entry.prefix,
      pricePerPart,
      ...(entry.network === undefined ? {} : { network: entry.network }),
      ...(entry.country === undefined ? {} : { country: entry.country }),
    };
  });
  const list: StoredPriceList = {
    id: command.id,
    currency: command.currency,
    entries,
    updatedAt: deps.clock.now().toISOString(),
    updatedBy: command.by,
  };
  try {
    makePriceIndex(list);
    const existing = await deps.priceLists.get(command.id);
    await deps.priceLists.put(list);
    return { created: existing === undefined, list };
  } catch (error) {
    if (error instanceof InvalidPriceList) throw new ValidationFailed(error.message, { cause: error });
    throw error;
  }
}

/** One list for the operator: the stored one, or the built-in default while none is stored. */
export async function getPriceList(
  deps: { priceLists: PriceListStore },
  id: string,
): Promise<PriceListWithOrigin> {
  const stored = await deps.priceLists.get(id);
  if (stored) return stored;
  if (id === DEFAULT_ID) return { ...DEFAULT_PRICE_LIST, builtIn: true };
  throw new NotFound('Price list not found');
}

/** Every list, `default` included (built-in until the operator stores one), by id. */
export async function listPriceLists(deps: { priceLists: PriceListStore }): Promise<PriceListWithOrigin[]> {
  const stored: PriceListWithOrigin[] = [...(await deps.priceLists.list())];
  if (!stored.some((list) => list.id === DEFAULT_ID)) stored.push({ ...DEFAULT_PRICE_LIST, builtIn: true });
  return stored.sort((a, b) => a.id.localeCompare(b.id));
}

/**
 * The operator prices an account with a list.
 * 1. The account and the list must exist (`default` always does): 404 otherwise.
 * 2. The list's currency must be the account's (its balance is in that currency): 409 otherwise.
 * 3. Record it on the account; its next quotes use it.
 */
export async function assignPriceList(
  deps: { accounts: Pick<AccountRepository, 'get' | 'update'>; priceLists: PriceListStore },
  command: { accountId: string; priceListId: string },
): Promise<Account> {
  const account = await deps.accounts.get(command.accountId);
  if (!account) throw new NotFound('Account not found');
  const list = await getPriceList(deps, command.priceListId);
  if (list.currency !== account.currency) {
    throw new Conflict(
      'CURRENCY_MISMATCH',
      `The list is in ${list.currency}; the account pays in ${account.currency}`,
    );
  }
  const updated = await deps.accounts.update(command.accountId, { priceListId: command.priceListId });
  if (!updated) throw new NotFound('Account not found');
  return updated;
}
