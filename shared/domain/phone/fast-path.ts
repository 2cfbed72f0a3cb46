/**
 * The fast path: libphonenumber-js's `parse` → `isValid()` / `getType()` for a cleaned number, run on
 * its own metadata without its per-call overhead (a new `Metadata` object, a `new RegExp` for every
 * pattern test, argument normalisation, exceptions for control flow).
 *
 * Why it can be trusted: it is a step-by-step port of libphonenumber-js 1.13.16
 * (`parse.js`, `extractCountryCallingCode`, `stripIddPrefix`,
 * `extractCountryCallingCodeFromInternationalNumberWithoutPlusSign`, `extractNationalNumber`,
 * `checkNumberLength`, `getCountryByCallingCode`, `getNumberType`, `isValid`), using the same pattern
 * sources wrapped the same way. The one branch not ported (a national prefix matched with capture groups:
 * carrier codes and prefix transform rules, as in AR, BR, MX, CO and short NANP numbers) answers
 * {@link NEEDS_LIBPHONENUMBER}, and the caller asks libphonenumber-js itself. The differential tests
 * (every calling code, every default country, random and realistic inputs) and the benchmark check that
 * the verdicts are identical.
 */
import {
  callingCodePlan,
  countriesForCallingCode,
  countryPlan,
  hasCallingCode,
  METADATA_LAYOUT_SUPPORTED,
  type NumberingPlan,
  type PhoneNumberType,
  type PlanType,
} from './numbering-plans';

/** What libphonenumber-js says about a parsed number (`PhoneNumber` fields, `isValid()`, `getType()`). */
export interface PhoneClassification {
  /** E.164, `'+' + callingCode + national number`. */
  readonly number: string;
  readonly country: string | undefined;
  readonly callingCode: string;
  readonly valid: boolean;
  readonly type: PhoneNumberType | undefined;
}

/** Answer of the fast path when only libphonenumber-js itself may decide. */
export const NEEDS_LIBPHONENUMBER: unique symbol = Symbol('needs libphonenumber-js');
type Needs = typeof NEEDS_LIBPHONENUMBER;

const MIN_LENGTH_FOR_NSN = 2;
const MAX_LENGTH_FOR_NSN = 17;
const MAX_LENGTH_COUNTRY_CODE = 3;
const PLUS = 43;
const ZERO = 48;

type LengthCheck = 'IS_POSSIBLE' | 'TOO_SHORT' | 'TOO_LONG' | 'INVALID_LENGTH';

function checkLength(length: number, possible: readonly number[] | undefined): LengthCheck {
  if (possible === undefined) return 'IS_POSSIBLE';
  const min = possible[0] ?? 0;
  if (min === length) return 'IS_POSSIBLE';
  if (min > length) return 'TOO_SHORT';
  if ((possible[possible.length - 1] ?? 0) < length) return 'TOO_LONG';
  return possible.indexOf(length, 1) >= 0 ? 'IS_POSSIBLE' : 'INVALID_LENGTH';
}

function isType(nationalNumber: string, type: PlanType | undefined): boolean {
  if (type === undefined || type.pattern === undefined) return false;
  const possible = type.possibleLengths;
  if (possible !== undefined && possible.indexOf(nationalNumber.length) < 0) return false;
  return type.pattern.test(nationalNumber);
}

/** libphonenumber-js `getNumberType`. */
function numberType(plan: NumberingPlan, nationalNumber: string): PhoneNumberType | undefined {
  if (!plan.nationalNumberPattern.test(nationalNumber)) return undefined;
  if (isType(nationalNumber, plan.fixedLine)) {
    if (plan.mobile === undefined || plan.mobilePatternIsEmpty) return 'FIXED_LINE_OR_MOBILE';
    return isType(nationalNumber, plan.mobile) ? 'FIXED_LINE_OR_MOBILE' : 'FIXED_LINE';
  }
  for (const type of plan.otherTypes) if (isType(nationalNumber, type)) return type.name;
  return undefined;
}

/** libphonenumber-js `getCountryByCallingCode` (leading digits, else the first country with a type). */
function countryByNationalNumber(callingCode: string, nationalNumber: string): string | undefined {
  const countries = countriesForCallingCode(callingCode);
  if (countries === undefined) return undefined;
  if (countries.length === 1) return countries[0];
  for (const country of countries) {
    const plan = countryPlan(country);
    if (plan === undefined) continue;
    if (plan.leadingDigits !== undefined) {
      if (nationalNumber !== '' && nationalNumber.search(plan.leadingDigits) === 0) return country;
    } else if (numberType(plan, nationalNumber) !== undefined) return country;
  }
  return undefined;
}

/** libphonenumber-js `extractNationalNumberFromPossiblyIncompleteNumber`, minus capture groups. */
function stripNationalPrefix(number: string, plan: NumberingPlan): string | Needs {
  if (number === '' || plan.nationalPrefix === undefined) return number;
  const literal = plan.nationalPrefixLiteral;
  if (literal !== undefined) return number.startsWith(literal) ? number.slice(literal.length) : number;
  const match = plan.nationalPrefix.exec(number);
  if (match === null) return number;
  if (match.length > 1 && match[match.length - 1]) return NEEDS_LIBPHONENUMBER;
  return number.slice(match[0].length);
}

/** libphonenumber-js `extractNationalNumber`: keep the prefix when stripping it would spoil the number. */
function extractNationalNumber(number: string, plan: NumberingPlan): string | Needs {
  const stripped = stripNationalPrefix(number, plan);
  if (stripped === NEEDS_LIBPHONENUMBER || stripped === number) return stripped;
  const pattern = plan.nationalNumberPattern;
  if (pattern.test(number) && !pattern.test(stripped)) return number;
  if (plan.possibleLengths !== undefined) {
    const country = countryByNationalNumber(plan.callingCode, stripped);
    const possible = country === undefined ? plan.possibleLengths : countryPlan(country)?.possibleLengths;
    const check = checkLength(stripped.length, possible);
    if (check === 'TOO_SHORT' || check === 'INVALID_LENGTH') return number;
  }
  return stripped;
}

/** libphonenumber-js `stripIddPrefix` (the default country's international prefix, e.g. `00`). */
function stripIddPrefix(number: string, plan: NumberingPlan): string | undefined {
  let rest: string;
  if (plan.iddLiteral !== undefined) {
    if (!number.startsWith(plan.iddLiteral)) return undefined;
    rest = number.slice(plan.iddLiteral.length);
  } else {
    if (number.search(plan.iddPrefix) !== 0) return undefined;
    rest = number.slice(plan.iddPrefix.exec(number)?.[0].length ?? 0);
  }
  if (rest.charCodeAt(0) === ZERO) return undefined;
  return rest === '' || rest === number ? undefined : rest;
}

/** libphonenumber-js `extractCountryCallingCodeFromInternationalNumberWithoutPlusSign`: `40722…` in RO. */
function stripOwnCallingCode(number: string, plan: NumberingPlan): string | undefined | Needs {
  if (!number.startsWith(plan.callingCode)) return undefined;
  const shorter = number.slice(plan.callingCode.length);
  const shorterNational = extractNationalNumber(shorter, plan);
  const fullNational = extractNationalNumber(number, plan);
  if (shorterNational === NEEDS_LIBPHONENUMBER || fullNational === NEEDS_LIBPHONENUMBER)
    return NEEDS_LIBPHONENUMBER;
  const pattern = plan.nationalNumberPattern;
  const better = !pattern.test(fullNational) && pattern.test(shorterNational);
  return better || checkLength(fullNational.length, plan.possibleLengths) === 'TOO_LONG'
    ? shorter
    : undefined;
}

/**
 * What `parsePhoneNumberFromString(canonical, defaultCountry)` from `libphonenumber-js/max`, then
 * `isValid()` and `getType()`, would say: `undefined` where it returns `undefined` (not a number),
 * {@link NEEDS_LIBPHONENUMBER} where this port does not reach.
 * @param canonical `+` (optional) then ASCII digits, as produced by `cleanPhoneInput`.
 * @param defaultCountry a country libphonenumber-js supports (checked by the caller).
 */
export function classifyWithMetadata(
  canonical: string,
  defaultCountry: string,
): PhoneClassification | undefined | Needs {
  const defaultPlan = METADATA_LAYOUT_SUPPORTED ? countryPlan(defaultCountry) : undefined;
  if (defaultPlan === undefined) return NEEDS_LIBPHONENUMBER;
  const hasPlus = canonical.charCodeAt(0) === PLUS;
  // parse(): fewer than 3 digits after a '+', or a single digit, is not a viable phone number.
  if (canonical.length < (hasPlus ? 4 : MIN_LENGTH_FOR_NSN)) return undefined;

  let international = hasPlus ? canonical : undefined;
  let callingCode: string | undefined;
  let rest = canonical;
  if (!hasPlus) {
    const withoutIdd = stripIddPrefix(canonical, defaultPlan);
    if (withoutIdd !== undefined) international = `+${withoutIdd}`;
    else {
      const shorter = stripOwnCallingCode(canonical, defaultPlan);
      if (shorter === NEEDS_LIBPHONENUMBER) return shorter;
      if (shorter !== undefined) {
        callingCode = defaultPlan.callingCode;
        rest = shorter;
      }
    }
  }
  if (international !== undefined) {
    if (international.charCodeAt(1) === ZERO) return undefined;
    for (let end = 2; end - 1 <= MAX_LENGTH_COUNTRY_CODE && end <= international.length; end++) {
      const candidate = international.slice(1, end);
      if (hasCallingCode(candidate)) {
        callingCode = candidate;
        rest = international.slice(end);
        break;
      }
    }
    if (callingCode === undefined) return undefined;
  }

  let country: string | undefined;
  let plan: NumberingPlan | undefined = defaultPlan;
  if (callingCode === undefined) {
    country = defaultCountry;
    callingCode = defaultPlan.callingCode;
  } else plan = callingCodePlan(callingCode);
  if (plan === undefined) return NEEDS_LIBPHONENUMBER;
  if (rest === '') return undefined;
  const nationalNumber = extractNationalNumber(rest, plan);
  if (nationalNumber === NEEDS_LIBPHONENUMBER) return nationalNumber;
  country = countryByNationalNumber(callingCode, nationalNumber) ?? country;
  const length = nationalNumber.length;
  if (length < MIN_LENGTH_FOR_NSN || length > MAX_LENGTH_FOR_NSN) return undefined;

  // PhoneNumber.isValid() / getType(): the plan of the number's country, else of its calling code.
  const numberPlan = country === undefined ? plan : countryPlan(country);
  if (numberPlan === undefined) return NEEDS_LIBPHONENUMBER;
  const type = numberType(numberPlan, nationalNumber);
  const valid = numberPlan.hasTypes
    ? type !== undefined
    : numberPlan.nationalNumberPattern.test(nationalNumber);
  return { number: `+${callingCode}${nationalNumber}`, country, callingCode, valid, type };
}
