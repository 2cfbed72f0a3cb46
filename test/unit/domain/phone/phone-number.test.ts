import { describe, expect, it } from 'vitest';
import {
  makePhoneNumberNormaliser,
  type NormaliseOptions,
  normalisePhoneNumber,
  type PhoneInput,
  type PhoneRejection,
} from '#domain/phone/phone-number';

const RO: NormaliseOptions = { defaultCountry: 'RO' };
const RO_ANY_TYPE: NormaliseOptions = { defaultCountry: 'RO', requireMobile: false };
const RO_MOBILE = { ok: true, e164: '+40722123456', country: 'RO', callingCode: '40' };

const rejected = (reason: PhoneRejection, input: PhoneInput) => ({
  ok: false,
  reason,
  input: input === null || input === undefined ? '' : String(input),
});

describe('normalisePhoneNumber: every written shape of a Romanian mobile', () => {
  it.each<[string, PhoneInput]>([
    ['national with spaces', '0722 123 456'],
    ['national with dots', '0722.123.456'],
    ['national with dashes', '0722-123-456'],
    ['national with slashes', '0722/123/456'],
    ['area code in brackets', '(0722) 123456'],
    ['national without the trunk 0', '722123456'],
    ['00 international prefix', '0040722123456'],
    ['00 prefix, grouped', '0040 722 123 456'],
    ['E.164', '+40722123456'],
    ['E.164 grouped', '+40 722 123 456'],
    ['calling code without +', '40722123456'],
    ['(0) trunk notation', '+40 (0)722 123 456'],
    ['trunk 0 after +40', '+400722123456'],
    ['trunk 0 after 0040', '0040 0722 123 456'],
    ['surrounding blanks and line break', '  0722123456 \r\n'],
    ['bracketed +', '(+40) 722 123 456'],
  ])('accepts %s: %j', (_shape, input) => {
    // Arrange, Act
    const result = normalisePhoneNumber(input, RO);

    // Assert
    expect(result).toEqual(RO_MOBILE);
  });
});

describe('normalisePhoneNumber: spreadsheet artefacts', () => {
  it.each<[string, PhoneInput]>([
    ['numeric cell with the calling code', 40722123456],
    ['numeric cell that lost the trunk 0', 722123456],
    ['scientific notation holding every digit', '7.22123456E+8'],
    ['scientific notation, comma decimal and two-digit exponent', '7,22123456E+08'],
    ['scientific notation of the international form', '4.0722123456E+10'],
    ['text apostrophe', "'0722123456"],
    ['text apostrophe before +', "'+40722123456"],
    ['float cell', '40722123456.0'],
    ['float cell, comma locale', '722123456,0'],
  ])('recovers %s: %j', (_shape, input) => {
    expect(normalisePhoneNumber(input, RO)).toEqual(RO_MOBILE);
  });

  it.each<[string, PhoneInput]>([
    ['scientific notation that rounded digits away', '4.07221E+10'],
    ['scientific notation one digit short (a lost digit or a real 0: cannot tell)', '7.2212345E+8'],
    ['scientific notation of a fraction', '7.221234567E+8'],
    ['negative scientific notation', '-7.22123456E+8'],
    ['negative exponent', '7.22E-8'],
    ['integer beyond 2^53, already rounded', 1e17],
  ])('refuses %s as MANGLED: %j', (_shape, input) => {
    expect(normalisePhoneNumber(input, RO)).toEqual(rejected('MANGLED', input));
  });

  it('reads a leading-zero number with .0 as separators, not as a float cell', () => {
    // A float cell never starts with 0, so "0722123456.0" is 11 digits, too long for Romania.
    expect(normalisePhoneNumber('0722123456.0', RO)).toEqual(rejected('INVALID', '0722123456.0'));
  });
});

describe('normalisePhoneNumber: Unicode', () => {
  it.each<[string, string]>([
    ['no-break spaces', '0722\u00A0123\u00A0456'],
    ['narrow no-break and thin spaces', '0722\u202F123\u2009456'],
    ['en dashes', '0722\u2013123\u2013456'],
    ['direction embedding around a copied number', '\u202A+40 722 123 456\u202C'],
    ['byte order mark', '\uFEFF0722123456'],
    ['zero-width space inside', '07\u200B22123456'],
    ['soft hyphen inside', '0722\u00AD123456'],
    ['fullwidth digits', '０７２２１２３４５６'],
    ['fullwidth plus and digits', '＋４０７２２１２３４５６'],
    ['Arabic-Indic digits', '٠٧٢٢١٢٣٤٥٦'],
    ['extended Arabic-Indic digits', '۰۷۲۲۱۲۳۴۵۶'],
  ])('cleans %s', (_shape, input) => {
    expect(normalisePhoneNumber(input, RO)).toEqual(RO_MOBILE);
  });

  it.each<[string, string]>([
    ['Devanagari digits (not read by libphonenumber-js)', '०७२२१२३४५६'],
    ['an emoji', '📞0722123456'],
    ['a line break inside (two values in one cell?)', '0722\n123456'],
  ])('refuses %s as INVALID', (_shape, input) => {
    expect(normalisePhoneNumber(input, RO)).toEqual(rejected('INVALID', input));
  });
});

describe('normalisePhoneNumber: refusals', () => {
  it.each<PhoneInput>([null, undefined, '', '   ', '\u200B\uFEFF', "'", "'  "])('EMPTY for %j', (input) => {
    expect(normalisePhoneNumber(input, RO)).toEqual(rejected('EMPTY', input));
  });

  it.each<PhoneInput>([
    'abc',
    'N/A',
    '-',
    '+',
    '0722 ABC 456',
    '0722123456 ext 12',
    '+40 722 123 456#',
    'tel:+40722123456',
    '="0722123456"',
    '++40722123456',
    '40+722123456',
    '0722,123,456',
    '0722123456, 0733123456',
    '072212345', // one digit short
    '07221234567', // one digit long
    '0122123456', // no Romanian number starts with 1
    '4915112345678', // a German mobile without '+': only the account's own code may lack it
    '0'.repeat(31),
    `0722123456${' '.repeat(100)}x`,
    722123456.5,
    -40722123456,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ])('INVALID for %j', (input) => {
    expect(normalisePhoneNumber(input, RO)).toEqual(rejected('INVALID', input));
  });

  it('keeps the input as given in the rejection, for the report', () => {
    expect(normalisePhoneNumber(' 0722 ABC ', RO)).toEqual({
      ok: false,
      reason: 'INVALID',
      input: ' 0722 ABC ',
    });
  });
});

describe('normalisePhoneNumber: requireMobile', () => {
  it.each<[string, string, string]>([
    ['Bucharest fixed line', '021 123 4567', '+40211234567'],
    ['fixed line, international', '+40 21 123 4567', '+40211234567'],
    ['toll free', '0800 123 456', '+40800123456'],
    ['Italian fixed line (keeps its 0)', '+39 06 1234 5678', '+390612345678'],
    ['UK fixed line written with (0)', '+44 (0)20 7946 0000', '+442079460000'],
  ])('refuses a %s by default, accepts it when requireMobile is false', (_kind, input, e164) => {
    // Arrange, Act
    const strict = normalisePhoneNumber(input, RO);
    const lenient = normalisePhoneNumber(input, RO_ANY_TYPE);

    // Assert
    expect(strict).toEqual(rejected('NOT_MOBILE', input));
    expect(lenient).toMatchObject({ ok: true, e164 });
  });

  it.each<[string, string, string, string]>([
    ['DE', '+49 151 12345678', '+4915112345678', '49'],
    ['DE', '0049 151 12345678', '+4915112345678', '49'],
    ['HU', '+36 20 123 4567', '+36201234567', '36'],
    ['BG', '+359 87 123 4567', '+359871234567', '359'],
    ['MD', '+373 69 123 456', '+37369123456', '373'],
    ['GB', '+44 7400 123456', '+447400123456', '44'],
    ['IT', '+39 312 345 6789', '+393123456789', '39'],
    ['US', '+1 (212) 555-1234', '+12125551234', '1'], // FIXED_LINE_OR_MOBILE: NANP cannot tell
  ])('accepts a %s mobile from a Romanian account: %s', (country, input, e164, callingCode) => {
    expect(normalisePhoneNumber(input, RO)).toEqual({ ok: true, e164, country, callingCode });
  });

  it('accepts a non-geographic number only when any type is allowed, with no country', () => {
    expect(normalisePhoneNumber('+800 1234 5678', RO)).toEqual(rejected('NOT_MOBILE', '+800 1234 5678'));
    expect(normalisePhoneNumber('+800 1234 5678', RO_ANY_TYPE)).toEqual({
      ok: true,
      e164: '+80012345678',
      country: undefined,
      callingCode: '800',
    });
  });
});

describe('normalisePhoneNumber: other default countries', () => {
  it.each<[string, string, string]>([
    ['DE', '0151 12345678', '+4915112345678'],
    ['HU', '06 20 123 4567', '+36201234567'],
    ['MD', '069 123 456', '+37369123456'],
    ['GB', '07400 123456', '+447400123456'],
    ['US', '(212) 555-1234', '+12125551234'],
    ['US', '1 212 555 1234', '+12125551234'],
    ['US', '011 40 722 123 456', '+40722123456'], // the US international prefix is 011, not 00
    ['ro', '0722 123 456', '+40722123456'], // country codes are not case-sensitive
  ])('%s account: %s', (defaultCountry, input, e164) => {
    expect(normalisePhoneNumber(input, { defaultCountry })).toMatchObject({ ok: true, e164 });
  });

  it('refuses digits that read as two different valid numbers (national and own calling code)', () => {
    // Italian mobile 390 237 6630, or +39 02 376630 (fixed, Milan)? Refused rather than guessed.
    const options = { defaultCountry: 'IT', requireMobile: false };
    expect(normalisePhoneNumber('3902376630', options)).toEqual(rejected('INVALID', '3902376630'));
    expect(normalisePhoneNumber('+39 390 237 6630', options)).toMatchObject({
      ok: true,
      e164: '+393902376630',
    });
  });

  it('throws for a default country libphonenumber-js does not know', () => {
    expect(() => normalisePhoneNumber('0722123456', { defaultCountry: 'XX' })).toThrow(RangeError);
    expect(() => makePhoneNumberNormaliser({ defaultCountry: '' })).toThrow(RangeError);
  });
});

describe('normalisePhoneNumber: allowedCountries', () => {
  const RO_ONLY: NormaliseOptions = { defaultCountry: 'RO', allowedCountries: ['RO'] };

  it.each<[string, PhoneInput, NormaliseOptions, PhoneRejection | 'ok']>([
    ['a Romanian mobile', '0722123456', RO_ONLY, 'ok'],
    ['a German mobile', '+4915112345678', RO_ONLY, 'COUNTRY_NOT_ALLOWED'],
    ['a German fixed line (country is checked before type)', '+49 30 123456', RO_ONLY, 'COUNTRY_NOT_ALLOWED'],
    ['a Romanian fixed line', '+40 21 123 4567', RO_ONLY, 'NOT_MOBILE'],
    ['an invalid number (validity is checked first)', '+40 722', RO_ONLY, 'INVALID'],
    [
      'a non-geographic number',
      '+800 1234 5678',
      { ...RO_ONLY, requireMobile: false },
      'COUNTRY_NOT_ALLOWED',
    ],
    ['lower-case codes', '+37369123456', { defaultCountry: 'RO', allowedCountries: ['ro', 'md'] }, 'ok'],
    ['an empty list', '0722123456', { defaultCountry: 'RO', allowedCountries: [] }, 'COUNTRY_NOT_ALLOWED'],
    [
      'Jersey when only GB is allowed',
      '+44 7797 123456',
      { defaultCountry: 'GB', allowedCountries: ['GB'] },
      'COUNTRY_NOT_ALLOWED',
    ],
  ])('%s → %s', (_case, input, options, expected) => {
    // Arrange, Act
    const result = normalisePhoneNumber(input, options);

    // Assert
    if (expected === 'ok') expect(result.ok).toBe(true);
    else expect(result).toEqual(rejected(expected, input));
  });
});

describe('makePhoneNumberNormaliser', () => {
  it('gives the same answers as normalisePhoneNumber', () => {
    // Arrange
    const inputs: PhoneInput[] = ['0722123456', '+49 30 123456', 'x', null, 40722123456, '4.07221E+10'];
    const normalise = makePhoneNumberNormaliser(RO);

    // Act, Assert
    for (const input of inputs) expect(normalise(input)).toEqual(normalisePhoneNumber(input, RO));
  });
});
