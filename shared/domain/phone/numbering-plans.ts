/**
 * libphonenumber-js's own `max` metadata, compiled into regular expressions once per numbering plan.
 *
 * Why a module of its own: the fast path ({@link classifyWithMetadata}) must judge numbers with exactly
 * the patterns libphonenumber-js judges them with. Reading them from the very metadata object that
 * `libphonenumber-js/max` uses (same module, same version) means a metadata update changes both at once;
 * there is no hand-copied range to go stale. Plans are compiled lazily, so a cold start pays only for
 * the countries it sees.
 */
import metadata from 'libphonenumber-js/metadata.max.json';

/** Number types, in libphonenumber-js's vocabulary (what `PhoneNumber.getType()` returns). */
export type PhoneNumberType =
  | 'FIXED_LINE'
  | 'MOBILE'
  | 'FIXED_LINE_OR_MOBILE'
  | 'TOLL_FREE'
  | 'PREMIUM_RATE'
  | 'SHARED_COST'
  | 'VOIP'
  | 'PERSONAL_NUMBER'
  | 'PAGER'
  | 'UAN'
  | 'VOICEMAIL';

/** One type of a plan; `pattern` is absent when the metadata gives an empty pattern (never matches). */
export interface PlanType {
  readonly name: PhoneNumberType;
  readonly pattern: RegExp | undefined;
  readonly possibleLengths: readonly number[] | undefined;
}

/** A numbering plan (one country, or one non-geographic calling code) with its patterns compiled. */
export interface NumberingPlan {
  readonly callingCode: string;
  /** International dialling prefix, unanchored as libphonenumber-js builds it (`new RegExp(idd)`). */
  readonly iddPrefix: RegExp;
  /** The same prefix when it is plain digits (e.g. `00`), so a `startsWith` can stand in for it. */
  readonly iddLiteral: string | undefined;
  readonly nationalNumberPattern: RegExp;
  readonly possibleLengths: readonly number[] | undefined;
  /** `^(?:national prefix for parsing)`, absent when the plan has none. */
  readonly nationalPrefix: RegExp | undefined;
  readonly nationalPrefixLiteral: string | undefined;
  readonly leadingDigits: RegExp | undefined;
  readonly hasTypes: boolean;
  readonly fixedLine: PlanType | undefined;
  readonly mobile: PlanType | undefined;
  /** The metadata gives MOBILE with an empty pattern: libphonenumber then calls fixed lines FIXED_LINE_OR_MOBILE. */
  readonly mobilePatternIsEmpty: boolean;
  /** The other types present, in the order libphonenumber-js tries them. */
  readonly otherTypes: readonly PlanType[];
}

type RawPlan = readonly unknown[];
interface RawMetadata {
  readonly version: number;
  readonly country_calling_codes: Readonly<Record<string, readonly string[]>>;
  readonly countries: Readonly<Record<string, RawPlan>>;
  readonly nonGeographic?: Readonly<Record<string, RawPlan>>;
}

const raw = metadata as unknown as RawMetadata;

/**
 * The fast path reads metadata layout v4 (libphonenumber-js ≥ 1.7.35). Any other layout switches it
 * off and every number goes to libphonenumber-js: slower, never wrong. The differential tests assert
 * it is on.
 */
export const METADATA_LAYOUT_SUPPORTED: boolean = raw.version === 4 && raw.nonGeographic !== undefined;

/** Positions in a v4 type list (libphonenumber-js `metadata.js` `getType`). */
const TYPE_INDEX: Readonly<Record<Exclude<PhoneNumberType, 'FIXED_LINE_OR_MOBILE'>, number>> = {
  FIXED_LINE: 0,
  MOBILE: 1,
  TOLL_FREE: 2,
  PREMIUM_RATE: 3,
  PERSONAL_NUMBER: 4,
  VOICEMAIL: 5,
  UAN: 6,
  PAGER: 7,
  VOIP: 8,
  SHARED_COST: 9,
};
/** The non-fixed-line types in the order libphonenumber-js `getNumberType` tries them. */
const OTHER_TYPES = [
  'MOBILE',
  'PREMIUM_RATE',
  'TOLL_FREE',
  'SHARED_COST',
  'VOIP',
  'PERSONAL_NUMBER',
  'PAGER',
  'UAN',
  'VOICEMAIL',
] as const;

const DIGITS_ONLY = /^\d+$/;
const compiled = new WeakMap<RawPlan, NumberingPlan>();

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const lengths = (value: unknown): readonly number[] | undefined =>
  Array.isArray(value) ? (value as number[]) : undefined;

function compileType(
  name: PhoneNumberType,
  rawType: unknown,
  planLengths: readonly number[] | undefined,
): PlanType | undefined {
  if (!Array.isArray(rawType)) return undefined;
  const source = text(rawType[0]);
  return {
    name,
    pattern: source === undefined ? undefined : new RegExp(`^(?:${source})$`),
    possibleLengths: lengths(rawType[1]) ?? planLengths,
  };
}

function compilePlan(plan: RawPlan): NumberingPlan {
  const possibleLengths = lengths(plan[3]);
  const idd = String(plan[1]);
  const prefix = text(plan[7]) ?? text(plan[5]);
  const leading = text(plan[10]);
  const rawTypes = Array.isArray(plan[11]) ? (plan[11] as unknown[]) : undefined;
  const hasTypes = rawTypes !== undefined && rawTypes.length > 0;
  const typeAt = (name: keyof typeof TYPE_INDEX) =>
    hasTypes ? compileType(name, rawTypes?.[TYPE_INDEX[name]], possibleLengths) : undefined;
  const mobile = typeAt('MOBILE');
  return {
    callingCode: String(plan[0]),
    iddPrefix: new RegExp(idd),
    iddLiteral: DIGITS_ONLY.test(idd) ? idd : undefined,
    nationalNumberPattern: new RegExp(`^(?:${String(plan[2])})$`),
    possibleLengths,
    nationalPrefix: prefix === undefined ? undefined : new RegExp(`^(?:${prefix})`),
    nationalPrefixLiteral: prefix !== undefined && DIGITS_ONLY.test(prefix) ? prefix : undefined,
    leadingDigits: leading === undefined ? undefined : new RegExp(leading),
    hasTypes,
    fixedLine: typeAt('FIXED_LINE'),
    mobile,
    mobilePatternIsEmpty: mobile !== undefined && mobile.pattern === undefined,
    otherTypes: OTHER_TYPES.flatMap((name) => typeAt(name) ?? []),
  };
}

function planOf(plan: RawPlan | undefined): NumberingPlan | undefined {
  if (plan === undefined) return undefined;
  let result = compiled.get(plan);
  if (result === undefined) {
    result = compilePlan(plan);
    compiled.set(plan, result);
  }
  return result;
}

// Maps rather than the metadata's own objects: these lookups run several times per number, and a Map
// keyed by short strings is markedly faster than `Object.hasOwn` on a large dictionary-mode object.
const countryPlans = new Map<string, NumberingPlan>();
const callingCodePlans = new Map<string, NumberingPlan | null>();
const callingCodeCountries = new Map<string, readonly string[]>(
  Object.entries(raw.country_calling_codes).filter(
    ([, countries]) => countries[0]?.length !== 3 || countries.length > 1,
  ),
);
const nonGeographicCodes = new Set(Object.keys(raw.nonGeographic ?? {}));

/** The plan of an ISO 3166 alpha-2 country, or `undefined` when libphonenumber-js does not know it. */
export function countryPlan(country: string): NumberingPlan | undefined {
  let plan = countryPlans.get(country);
  if (plan === undefined && Object.hasOwn(raw.countries, country)) {
    plan = planOf(raw.countries[country]);
    if (plan !== undefined) countryPlans.set(country, plan); // known countries only: the map stays bounded
  }
  return plan;
}

/** Countries sharing a calling code, main one first; `undefined` for non-geographic codes (+800, +882…). */
export function countriesForCallingCode(callingCode: string): readonly string[] | undefined {
  return callingCodeCountries.get(callingCode);
}

/** libphonenumber-js `Metadata.hasCallingCode`: a country's code or a non-geographic one. */
export function hasCallingCode(callingCode: string): boolean {
  return callingCodeCountries.has(callingCode) || nonGeographicCodes.has(callingCode);
}

/** The plan libphonenumber-js selects for a calling code: its main country's, or the non-geographic one. */
export function callingCodePlan(callingCode: string): NumberingPlan | undefined {
  let plan = callingCodePlans.get(callingCode);
  if (plan === undefined) {
    const main = callingCodeCountries.get(callingCode)?.[0];
    const nonGeographic = raw.nonGeographic;
    plan =
      (main !== undefined
        ? countryPlan(main)
        : nonGeographic !== undefined && Object.hasOwn(nonGeographic, callingCode)
          ? planOf(nonGeographic[callingCode])
          : undefined) ?? null;
    callingCodePlans.set(callingCode, plan); // keys are 1 to 3 digits: at most 1 110 entries
  }
  return plan ?? undefined;
}
