import {
  type CountryCode,
  getCountries,
  getCountryCallingCode,
  parsePhoneNumberFromString,
} from 'libphonenumber-js/max';
import examples from 'libphonenumber-js/mobile/examples';
import { describe, expect, it } from 'vitest';
import {
  classifyWithMetadata,
  NEEDS_LIBPHONENUMBER,
  type PhoneClassification,
} from '#domain/phone/fast-path';
import { METADATA_LAYOUT_SUPPORTED } from '#domain/phone/numbering-plans';

/** What libphonenumber-js itself says: the oracle the port must match field for field. */
function libphonenumber(canonical: string, country: CountryCode): PhoneClassification | undefined {
  const phone = parsePhoneNumberFromString(canonical, country);
  if (!phone) return undefined;
  return {
    number: phone.number,
    country: phone.country,
    callingCode: phone.countryCallingCode,
    valid: phone.isValid(),
    type: phone.getType(),
  };
}

/** mulberry32, so a failure names a reproducible input. */
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

const random = prng(7);
const int = (min: number, max: number) => min + Math.floor(random() * (max - min + 1));
const digits = (n: number) => Array.from({ length: n }, () => int(0, 9)).join('');
/** A national number near a valid one: the example with its tail replaced, or cut, or lengthened. */
const near = (nsn: string) => {
  const keep = int(Math.min(2, nsn.length), nsn.length);
  return nsn.slice(0, keep) + digits(nsn.length - keep + int(-1, 1) * (random() < 0.2 ? 1 : 0));
};

function compare(cases: readonly (readonly [string, CountryCode])[]) {
  const disagreements: unknown[] = [];
  let delegated = 0;
  for (const [canonical, country] of cases) {
    const fast = classifyWithMetadata(canonical, country);
    if (fast === NEEDS_LIBPHONENUMBER) {
      delegated++;
      continue;
    }
    const expected = libphonenumber(canonical, country);
    if (JSON.stringify(fast) !== JSON.stringify(expected))
      disagreements.push({ canonical, country, fast, expected });
  }
  return { disagreements, delegated };
}

describe('classifyWithMetadata, against libphonenumber-js max', () => {
  const countries = getCountries();

  it('reads metadata layout v4', () => {
    expect(METADATA_LAYOUT_SUPPORTED).toBe(true);
  });

  it('agrees on international numbers for every calling code', () => {
    // Arrange: for each country, 40 numbers near its example mobile and 10 random ones, all with '+'.
    const cases: [string, CountryCode][] = [];
    for (const country of countries) {
      const cc = getCountryCallingCode(country);
      const example = examples[country] ?? digits(9);
      for (let i = 0; i < 40; i++) cases.push([`+${cc}${near(example)}`, 'RO']);
      for (let i = 0; i < 10; i++) cases.push([`+${cc}${digits(int(0, 14))}`, 'RO']);
    }
    for (const cc of ['800', '808', '870', '878', '881', '882', '883', '888', '979']) {
      for (let i = 0; i < 30; i++) cases.push([`+${cc}${digits(int(6, 13))}`, 'RO']);
    }

    // Act
    const { disagreements, delegated } = compare(cases);

    // Assert: a national prefix with capture groups (AR, MX…) can match after a '+' too: delegated.
    expect(disagreements).toEqual([]);
    expect(delegated / cases.length).toBeLessThan(0.01);
  });

  it('agrees on national, IDD and missing-plus input for every default country', () => {
    // Arrange: trunk prefix, bare, IDD, own calling code without '+', a neighbour's example, random.
    const cases: [string, CountryCode][] = [];
    for (const country of countries) {
      const cc = getCountryCallingCode(country);
      const example = examples[country] ?? digits(9);
      for (let i = 0; i < 12; i++) {
        const nsn = near(example);
        const neighbour = examples[countries[int(0, countries.length - 1)] ?? 'RO'] ?? '';
        for (const text of [
          `0${nsn}`,
          nsn,
          `1${nsn}`,
          `00${cc}${nsn}`,
          `011${cc}${nsn}`,
          `${cc}${nsn}`,
          `${cc}0${nsn}`,
        ]) {
          cases.push([text, country]);
        }
        cases.push([`8${nsn}`, country], [near(neighbour), country], [digits(int(1, 18)), country]);
      }
    }

    // Act
    const { disagreements, delegated } = compare(cases);

    // Assert: every case either agrees or is handed to libphonenumber-js (carrier codes, transform rules).
    expect(disagreements).toEqual([]);
    expect(delegated).toBeGreaterThan(0);
    expect(delegated / cases.length).toBeLessThan(0.05);
  });
});
