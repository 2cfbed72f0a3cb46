/**
 * The same rules as {@link normalisePhoneNumber}, written the slow, obvious way: regular expressions for
 * the cleaning and libphonenumber-js `max` for every verdict.
 *
 * Why it exists: it is the oracle. The production function has a hand-tuned cleaner and a port of
 * libphonenumber-js's parsing; this one shares no code with either, so the differential tests and the
 * benchmark catch a slip in both. Not for production paths (~6× slower).
 */
import {
  type CountryCode,
  getCountryCallingCode,
  isSupportedCountry,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import type { NormalisedNumber, NormaliseOptions, PhoneInput, PhoneRejection } from './phone-number';

const BLANK =
  '[ \\t\\n\\v\\f\\r\\u00A0\\u2000-\\u200A\\u202F\\u205F\\u3000\\u00AD\\u200B-\\u200F\\u202A-\\u202E\\u2060-\\u2064\\u2066-\\u2069\\uFEFF]';
const EDGES = new RegExp(`^${BLANK}+|${BLANK}+$`, 'g');
const APOSTROPHE_AND_BLANKS = new RegExp(`^['\\u2018\\u2019]${BLANK}*`);
const INVISIBLE = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
const SEPARATORS =
  /[ \t\u00A0\u2000-\u200A\u202F\u205F\u3000\-\u2010-\u2015\u2212\uFF0D.\uFF0E/\uFF0F()\uFF08\uFF09]/g;
const NUMBER_BODY = /^([+\uFF0B]?)([0-9\uFF10-\uFF19\u0660-\u0669\u06F0-\u06F9]+)$/;
const FLOAT_CELL = /^([1-9][0-9]*)[.,]0$/;
const SCIENTIFIC = /^\+?([0-9]+)(?:[.,]([0-9]+))?[eE]\+?([0-9]+)$/;
const NUMBER_LIKE = /^[+-]?[0-9]+(?:[.,][0-9]*)?[eE][+-]?[0-9]+$/;
const MOBILE_TYPES: readonly (string | undefined)[] = ['MOBILE', 'FIXED_LINE_OR_MOBILE'];

/** The reference cleaner's answer: canonical text (`+`? then ASCII digits) or why it was refused. */
export type ReferenceCleaned = { canonical: string } | { reason: PhoneRejection };
type Cleaned = ReferenceCleaned;

function toAsciiDigits(digits: string): string {
  return digits.replace(/[\uFF10-\uFF19\u0660-\u0669\u06F0-\u06F9]/g, (d) => {
    const code = d.charCodeAt(0);
    const zero = code >= 0xff10 ? 0xff10 : code >= 0x06f0 ? 0x06f0 : 0x0660;
    return String(code - zero);
  });
}

const digitsOnly = (digits: string): Cleaned =>
  digits.length >= 1 && digits.length <= 30 ? { canonical: digits } : { reason: 'INVALID' };

/** `cleanPhoneInput`'s rules written with regular expressions, for the differential tests. */
export function cleanPhoneInputReference(input: unknown): ReferenceCleaned {
  if (input === null || input === undefined) return { reason: 'EMPTY' };
  if (typeof input === 'number') {
    if (Number.isSafeInteger(input) && input >= 0) return { canonical: String(input) };
    return { reason: Number.isInteger(input) && input > 0 ? 'MANGLED' : 'INVALID' };
  }
  if (typeof input !== 'string') return { reason: 'INVALID' };
  let text = input.replace(EDGES, '');
  if (text.length > 100) return { reason: 'INVALID' };
  text = text.replace(APOSTROPHE_AND_BLANKS, '').replace(INVISIBLE, '');
  if (text === '') return { reason: 'EMPTY' };
  const float = FLOAT_CELL.exec(text);
  if (float) return digitsOnly(float[1] ?? '');
  const scientific = SCIENTIFIC.exec(text);
  if (scientific) {
    const [, whole, fraction = '', exponent] = scientific;
    if (fraction.length !== Number(exponent)) return { reason: 'MANGLED' };
    return digitsOnly(`${whole}${fraction}`.replace(/^0+/, ''));
  }
  if (NUMBER_LIKE.test(text)) return { reason: 'MANGLED' };
  const body = NUMBER_BODY.exec(text.replace(SEPARATORS, ''));
  if (!body) return { reason: 'INVALID' };
  const digits = toAsciiDigits(body[2] ?? '');
  if (digits.length > 30) return { reason: 'INVALID' };
  return { canonical: (body[1] ? '+' : '') + digits };
}

/** {@link normalisePhoneNumber}'s rules, with libphonenumber-js deciding every number. */
export function normalisePhoneNumberReference(
  input: PhoneInput,
  options: NormaliseOptions,
): NormalisedNumber {
  const defaultCountry = options.defaultCountry.toUpperCase();
  if (!isSupportedCountry(defaultCountry)) throw new RangeError(`Unknown default country: ${defaultCountry}`);
  const reject = (reason: PhoneRejection): NormalisedNumber => ({
    ok: false,
    reason,
    input: typeof input === 'string' ? input : typeof input === 'number' ? String(input) : '',
  });

  const cleaned = cleanPhoneInputReference(input);
  if ('reason' in cleaned) return reject(cleaned.reason);
  const { canonical } = cleaned;
  const phone = parsePhoneNumberFromString(canonical, defaultCountry as CountryCode);
  if (!phone?.isValid()) return reject('INVALID');
  if (!canonical.startsWith('+') && canonical.startsWith(getCountryCallingCode(defaultCountry))) {
    const international = parsePhoneNumberFromString(`+${canonical}`);
    if (international?.isValid() && international.number !== phone.number) return reject('INVALID');
  }
  const allowed = options.allowedCountries?.map((c) => c.toUpperCase());
  if (allowed && !(phone.country && allowed.includes(phone.country))) return reject('COUNTRY_NOT_ALLOWED');
  if ((options.requireMobile ?? true) && !MOBILE_TYPES.includes(phone.getType())) return reject('NOT_MOBILE');
  return { ok: true, e164: phone.number, country: phone.country, callingCode: phone.countryCallingCode };
}
