/**
 * Recipient numbers to E.164, with a reason for every refusal.
 *
 * Why: a campaign is only as good as its recipient list, and lists arrive from people and spreadsheets
 * (`0722 123 456`, `40722123456`, `7.22123456E+8`). libphonenumber-js with `max` metadata is the
 * authority on what is a valid, mobile number; this module decides which digits the user meant
 * ({@link cleanPhoneInput}) and then asks it, through a port of its own logic that is over 10× faster
 * ({@link classifyWithMetadata}) and falls back to the library wherever the port does not reach.
 * The verdicts are identical to {@link normalisePhoneNumberReference}, which calls the library for
 * every number; tests and `bench/phone-numbers.bench.ts` check that.
 *
 * Rules beyond libphonenumber-js's own (`00`/IDD prefixes, trunk `0`, `+40 (0)722…` and a missing `+`
 * before the default country's code are all its parsing):
 * - Digits starting with the default country's calling code but no `+` are refused as INVALID when they
 *   read as two different valid numbers (national and international), rather than guessing.
 * - Precedence of reasons: EMPTY / MANGLED / INVALID, then COUNTRY_NOT_ALLOWED, then NOT_MOBILE.
 * - Mobile means type MOBILE or FIXED_LINE_OR_MOBILE (NANP numbers, where the plan cannot tell). A valid
 *   number without a type (pager, VoIP, toll free…, or a plan without type data) is NOT_MOBILE.
 * - A valid number without a country (non-geographic: +800, +882, +883…) is never in `allowedCountries`.
 */
import { type CountryCode, parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { cleanPhoneInput } from './clean-input';
import { classifyWithMetadata, NEEDS_LIBPHONENUMBER, type PhoneClassification } from './fast-path';
import { countryPlan } from './numbering-plans';

export type PhoneRejection = 'EMPTY' | 'INVALID' | 'NOT_MOBILE' | 'COUNTRY_NOT_ALLOWED' | 'MANGLED';

export interface NormaliseOptions {
  /** ISO 3166 alpha-2 of the sender account (its default prefix), used for national input. */
  readonly defaultCountry: string; // e.g. 'RO'
  /** Default true: only mobile numbers (and FIXED_LINE_OR_MOBILE) are accepted. */
  readonly requireMobile?: boolean;
  /** ISO alpha-2 codes; absent = all. */
  readonly allowedCountries?: readonly string[];
}

export type NormalisedNumber =
  | { ok: true; e164: string /* '+40722123456' */; country: string | undefined; callingCode: string }
  | { ok: false; reason: PhoneRejection; input: string };

/** Values a recipient column can hold once parsed from JSON, CSV or a spreadsheet. */
export type PhoneInput = string | number | null | undefined;

/** {@link normalisePhoneNumber} with its options checked and compiled once, for bulk use. */
export type PhoneNormaliser = (input: PhoneInput) => NormalisedNumber;

/** Counts the numbers the fast path handed to libphonenumber-js (for the benchmark; optional). */
export interface NormaliserProbe {
  libphonenumberCalls: number;
}

const PLUS = 43;

function rejection(reason: PhoneRejection, input: unknown): NormalisedNumber {
  const text = typeof input === 'string' ? input : typeof input === 'number' ? String(input) : '';
  return { ok: false, reason, input: text };
}

function classifyWithLibphonenumber(
  canonical: string,
  country: CountryCode,
): PhoneClassification | undefined {
  const parsed = parsePhoneNumberFromString(canonical, country);
  if (parsed === undefined) return undefined;
  return {
    number: parsed.number,
    country: parsed.country,
    callingCode: parsed.countryCallingCode,
    valid: parsed.isValid(),
    type: parsed.getType(),
  };
}

/**
 * Checks and compiles the options once. Throws a `RangeError` for a default country libphonenumber-js
 * does not know: that is an account misconfiguration, and silently ignoring it (as the library does)
 * would reject every national number with a misleading reason.
 */
export function makePhoneNumberNormaliser(
  options: NormaliseOptions,
  probe?: NormaliserProbe,
): PhoneNormaliser {
  const defaultCountry = options.defaultCountry.toUpperCase() as CountryCode;
  const plan = countryPlan(defaultCountry);
  if (plan === undefined) throw new RangeError(`Unknown default country: ${options.defaultCountry}`);
  const ownCallingCode = plan.callingCode;
  const requireMobile = options.requireMobile ?? true;
  const allowed = options.allowedCountries && new Set(options.allowedCountries.map((c) => c.toUpperCase()));

  const classify = (canonical: string): PhoneClassification | undefined => {
    const fast = classifyWithMetadata(canonical, defaultCountry);
    if (fast !== NEEDS_LIBPHONENUMBER) return fast;
    if (probe) probe.libphonenumberCalls++;
    return classifyWithLibphonenumber(canonical, defaultCountry);
  };

  return (input) => {
    const canonical = cleanPhoneInput(input);
    if (typeof canonical !== 'string') return rejection(canonical.rejected, input);
    const number = classify(canonical);
    if (number === undefined || !number.valid) return rejection('INVALID', input);
    if (canonical.charCodeAt(0) !== PLUS && canonical.startsWith(ownCallingCode)) {
      const international = classify(`+${canonical}`);
      if (international?.valid && international.number !== number.number) return rejection('INVALID', input);
    }
    if (allowed && (number.country === undefined || !allowed.has(number.country))) {
      return rejection('COUNTRY_NOT_ALLOWED', input);
    }
    if (requireMobile && number.type !== 'MOBILE' && number.type !== 'FIXED_LINE_OR_MOBILE') {
      return rejection('NOT_MOBILE', input);
    }
    return { ok: true, e164: number.number, country: number.country, callingCode: number.callingCode };
  };
}

/** Compiled options per options object: callers reuse one object for a whole list. */
const normalisers = new WeakMap<NormaliseOptions, PhoneNormaliser>();

/**
 * One recipient to E.164, or the reason it cannot be sent to. The options object is compiled on first
 * use and cached (treat it as immutable); {@link makePhoneNumberNormaliser} does the same explicitly.
 * @throws RangeError when `defaultCountry` is unknown to libphonenumber-js.
 */
export function normalisePhoneNumber(input: PhoneInput, options: NormaliseOptions): NormalisedNumber {
  let normalise = normalisers.get(options);
  if (normalise === undefined) {
    normalise = makePhoneNumberNormaliser(options);
    normalisers.set(options, normalise);
  }
  return normalise(input);
}
