/**
 * Price lists: what one message part to a destination costs. Amounts are integers of 1/10000 of the
 * currency unit (see `#domain/money`), never floats, so a million parts add up to the exact total.
 *
 * A destination is priced by the longest matching prefix of its E.164 digits: `40` prices Romania,
 * `40722` can price one network more precisely, and a number matching neither is not routable.
 */

export interface PriceEntry {
  /** E.164 digits without '+': '40' is a country, '40722' a network prefix within it. */
  prefix: string;
  /** Integer 1/10000 currency units per message part. */
  pricePerPart: number;
  network?: string;
  country?: string;
}

export interface PriceList {
  id: string;
  currency: string;
  entries: readonly PriceEntry[];
}

export type Quote =
  | {
      ok: true;
      pricePerPart: number;
      /** `parts × pricePerPart`, an integer of 1/10000 units. */
      cost: number;
      /** The prefix that matched, for reports ("destination country/network"). */
      prefix: string;
      currency: string;
      network?: string;
      country?: string;
    }
  | { ok: false; reason: 'NOT_ROUTABLE' };

/** A price list that breaks the rules (bad prefix, non-integer price, duplicate prefix). */
export class InvalidPriceList extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidPriceList';
  }
}

/** A validated price list with an O(prefix length) lookup, for pricing many recipients. */
export interface PriceIndex {
  readonly list: PriceList;
  /** The entry with the longest prefix of the number's digits, if any. */
  lookup(e164: string): PriceEntry | undefined;
  quote(e164: string, parts: number): Quote;
}

const PREFIX = /^[1-9][0-9]{0,14}$/;
const E164_DIGITS = /^\+?([1-9][0-9]{0,14})$/;

/**
 * Validate `list` and index it by prefix. Throws {@link InvalidPriceList} for a prefix that is not
 * E.164 digits, a price that is not a non-negative safe integer, or a prefix listed twice (which of the
 * two prices applies would depend on list order).
 */
export function makePriceIndex(list: PriceList): PriceIndex {
  const byPrefix = new Map<string, PriceEntry>();
  let longest = 0;
  for (const entry of list.entries) {
    if (!PREFIX.test(entry.prefix)) throw new InvalidPriceList(`Bad prefix "${entry.prefix}" in ${list.id}`);
    if (!Number.isSafeInteger(entry.pricePerPart) || entry.pricePerPart < 0) {
      throw new InvalidPriceList(`Bad price ${entry.pricePerPart} for ${entry.prefix} in ${list.id}`);
    }
    if (byPrefix.has(entry.prefix)) throw new InvalidPriceList(`Prefix ${entry.prefix} twice in ${list.id}`);
    byPrefix.set(entry.prefix, entry);
    longest = Math.max(longest, entry.prefix.length);
  }

  function lookup(e164: string): PriceEntry | undefined {
    const digits = E164_DIGITS.exec(e164)?.[1];
    if (digits === undefined) return undefined;
    for (let length = Math.min(longest, digits.length); length > 0; length--) {
      const entry = byPrefix.get(digits.slice(0, length));
      if (entry) return entry;
    }
    return undefined;
  }

  return {
    list,
    lookup,
    quote(e164, parts) {
      if (!Number.isSafeInteger(parts) || parts < 0) {
        throw new RangeError(`parts must be a non-negative integer, got ${parts}`);
      }
      const entry = lookup(e164);
      if (!entry) return { ok: false, reason: 'NOT_ROUTABLE' };
      const cost = parts * entry.pricePerPart;
      if (!Number.isSafeInteger(cost))
        throw new RangeError(`Cost overflows: ${parts} × ${entry.pricePerPart}`);
      const { pricePerPart, prefix, network, country } = entry;
      return {
        ok: true,
        pricePerPart,
        cost,
        prefix,
        currency: list.currency,
        ...(network === undefined ? {} : { network }),
        ...(country === undefined ? {} : { country }),
      };
    },
  };
}

const indexes = new WeakMap<PriceList, PriceIndex>();

/**
 * Price `parts` parts to `e164` (digits, '+' optional). A malformed number is `NOT_ROUTABLE` like an
 * unpriced one: numbers are validated (with their own reasons) before they are priced.
 * The list's index is built once and remembered, so price lists are treated as immutable values:
 * publish a changed list as a new object.
 */
export function quote(list: PriceList, e164: string, parts: number): Quote {
  let index = indexes.get(list);
  if (!index) {
    index = makePriceIndex(list);
    indexes.set(list, index);
  }
  return index.quote(e164, parts);
}
