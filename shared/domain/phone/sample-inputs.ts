/**
 * A deterministic stream of recipient values as they reach the platform: Romanian mobiles in every
 * written shape, Romanian fixed lines, wrong lengths, DE/HU/BG/MD/GB/US/IT numbers, spreadsheet
 * artefacts, Unicode look-alikes and garbage, each with the options of a plausible account.
 *
 * Why here: the differential test and `bench/phone-numbers.bench.ts` must exercise the same mix, and
 * a seeded generator (mulberry32) makes every disagreement reproducible from its seed and index.
 * Test/benchmark support only; nothing in production imports it.
 */
import type { NormaliseOptions, PhoneInput } from './phone-number';

export interface PhoneSample {
  readonly input: PhoneInput;
  readonly options: NormaliseOptions;
}

interface CountrySpec {
  readonly cc: string;
  readonly trunk: string;
  /** `[prefix, national significant number length]` of common mobile and fixed ranges. */
  readonly mobile: readonly (readonly [string, number])[];
  readonly fixed: readonly (readonly [string, number])[];
}

const RO: CountrySpec = {
  cc: '40',
  trunk: '0',
  mobile: [['7', 9]],
  fixed: [
    ['21', 9],
    ['2', 9],
    ['3', 9],
    ['219', 6],
  ],
};
const OTHERS: Readonly<Record<string, CountrySpec>> = {
  DE: {
    cc: '49',
    trunk: '0',
    mobile: [
      ['15', 11],
      ['16', 10],
      ['17', 10],
      ['17', 11],
    ],
    fixed: [
      ['30', 10],
      ['89', 9],
    ],
  },
  HU: {
    cc: '36',
    trunk: '06',
    mobile: [
      ['20', 9],
      ['30', 9],
      ['70', 9],
    ],
    fixed: [
      ['1', 8],
      ['52', 8],
    ],
  },
  BG: {
    cc: '359',
    trunk: '0',
    mobile: [
      ['87', 9],
      ['88', 9],
      ['89', 9],
    ],
    fixed: [['2', 8]],
  },
  MD: {
    cc: '373',
    trunk: '0',
    mobile: [
      ['6', 8],
      ['7', 8],
    ],
    fixed: [['22', 8]],
  },
  GB: {
    cc: '44',
    trunk: '0',
    mobile: [['7', 10]],
    fixed: [
      ['20', 10],
      ['161', 10],
    ],
  },
  US: { cc: '1', trunk: '1', mobile: [['', 10]], fixed: [['', 10]] },
  IT: {
    cc: '39',
    trunk: '',
    mobile: [['3', 10]],
    fixed: [
      ['06', 10],
      ['02', 10],
    ],
  },
};
const OTHER_CODES = Object.keys(OTHERS);

/** Account settings the samples are judged with; shared objects, as a batch job would hold them. */
export const SAMPLE_OPTIONS: Readonly<Record<string, NormaliseOptions>> = {
  RO: { defaultCountry: 'RO' },
  RO_ANY_TYPE: { defaultCountry: 'RO', requireMobile: false },
  RO_MD_ONLY: { defaultCountry: 'RO', allowedCountries: ['RO', 'MD'] },
  DE: { defaultCountry: 'DE' },
  HU: { defaultCountry: 'HU' },
  BG: { defaultCountry: 'BG', requireMobile: false },
  MD: { defaultCountry: 'MD' },
  GB: { defaultCountry: 'GB', requireMobile: false },
  US: { defaultCountry: 'US' },
  IT: { defaultCountry: 'IT', allowedCountries: ['IT', 'VA'] },
};

const GARBAGE: readonly PhoneInput[] = [
  ['', '   ', '\t', "'", '-', '+', '()', 'N/A', 'null', 'abc', '#REF!', '="0722123456"', 'tel:+40722123456'],
  ['0722 123 456 ext 12', '+40 722 123 456#', '0722123456, 0733123456', '++40722123456', '40+722123456'],
  ['0722\n123456', '📞0722123456', '0722-ABC-456', '٠٧٢٢١٢٣٤٥٦', '०७२२१२३४५६', '0722 123 456 '.repeat(12)],
  [null, undefined, Number.NaN, Number.POSITIVE_INFINITY, -40722123456, 722123456.5, 1e17, 0],
].flat();
const SEPARATORS = [' ', '-', '.', '/', '\u00A0', '\u2013', '\u202F', ' - '];
const INVISIBLE = ['\u200B', '\u200E', '\u200F', '\u202A', '\u202C', '\u2066', '\u2069', '\uFEFF', '\u00AD'];

/** mulberry32. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A generator of {@link PhoneSample}s; the same seed always yields the same sequence. */
export function makePhoneSampleGenerator(seed: number): () => PhoneSample {
  const random = prng(seed);
  const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  const digits = (n: number) => Array.from({ length: Math.max(0, n) }, () => int(0, 9)).join('');
  const opts = (key: string): NormaliseOptions => SAMPLE_OPTIONS[key] ?? { defaultCountry: 'RO' };

  const nsn = (spec: CountrySpec, mobile: boolean): string => {
    const [prefix, length] = pick(mobile ? spec.mobile : spec.fixed);
    const jitter = random() < 0.06 ? pick([-2, -1, 1, 2]) : 0;
    if (spec.cc === '1') return `${int(2, 9)}${digits(2)}${int(2, 9)}${digits(6 + jitter)}`;
    return prefix + digits(length - prefix.length + jitter);
  };
  const grouped = (text: string, separator: string) => text.replace(/(\d{3})(?=\d)/g, `$1${separator}`);
  const scientific = (all: string, decimals: number, comma: boolean) =>
    `${all[0]}${comma ? ',' : '.'}${all.slice(1, 1 + decimals)}E+${String(all.length - 1).padStart(int(1, 2), '0')}`;

  const shape = (spec: CountrySpec, number: string): PhoneInput => {
    const full = spec.cc + number;
    const national = spec.trunk + number;
    switch (int(0, 17)) {
      case 0:
        return national;
      case 1:
        return grouped(national, pick(SEPARATORS));
      case 2:
        return `(${national.slice(0, 4)}) ${number.slice(4 - spec.trunk.length)}`;
      case 3:
        return number;
      case 4:
        return `00${full}`;
      case 5:
        return `+${full}`;
      case 6:
        return `+${spec.cc} ${grouped(number, ' ')}`;
      case 7:
        return `+${spec.cc} (${spec.trunk || '0'})${grouped(number, ' ')}`;
      case 8:
        return full;
      case 9:
        return Number(random() < 0.5 ? full : number);
      case 10:
        return scientific(random() < 0.5 ? full : String(Number(number)), 30, random() < 0.3);
      case 11:
        return scientific(full, int(2, 9), random() < 0.3);
      case 12:
        return random() < 0.5 ? `'${national}` : `'+${full}`;
      case 13:
        return `${random() < 0.5 ? full : String(Number(number))}${random() < 0.8 ? '.0' : ',0'}`;
      case 14:
        return `${pick(INVISIBLE)}+${spec.cc}${pick(INVISIBLE)} ${grouped(number, '\u00A0')}${pick(INVISIBLE)}`;
      case 15:
        return national.replace(/\d/g, (d) => (random() < 0.5 ? String.fromCharCode(0xff10 + Number(d)) : d));
      case 16:
        return `\uFF0B${full.replace(/\d/g, (d) => String.fromCharCode(0x0660 + Number(d)))}`;
      default:
        return `  ${grouped(national, pick(SEPARATORS))}${pick(['', '\n', '\r\n', '\t'])}`;
    }
  };

  const randomText = (): string => {
    const alphabet = '0123456789 +-.()/eE,x#\u00A0\u200B\uFF10';
    return Array.from({ length: int(1, 22) }, () => alphabet[int(0, alphabet.length - 1)]).join('');
  };

  return () => {
    const kind = random();
    if (kind < 0.42) {
      const key = random() < 0.75 ? 'RO' : pick(['RO_ANY_TYPE', 'RO_MD_ONLY']);
      return { input: shape(RO, nsn(RO, true)), options: opts(key) };
    }
    if (kind < 0.5) return { input: shape(RO, nsn(RO, false)), options: opts(pick(['RO', 'RO_ANY_TYPE'])) };
    if (kind < 0.78) {
      const code = pick(OTHER_CODES);
      const spec = OTHERS[code] ?? RO;
      const key = random() < 0.4 ? code : pick(['RO', 'RO', 'RO_ANY_TYPE', 'RO_MD_ONLY']);
      return { input: shape(spec, nsn(spec, random() < 0.7)), options: opts(key) };
    }
    if (kind < 0.88) return { input: pick(GARBAGE), options: opts(pick(['RO', 'DE', 'US'])) };
    return { input: randomText(), options: opts(pick(['RO', 'RO', 'GB', 'US', 'MD'])) };
  };
}
