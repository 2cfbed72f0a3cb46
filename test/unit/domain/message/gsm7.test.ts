import { describe, expect, it } from 'vitest';
import {
  GSM7_BASIC_TABLE,
  GSM7_ESCAPE,
  GSM7_EXTENSION_TABLE,
  gsm7Septets,
  isGsm7Char,
  isGsm7Extension,
} from '#domain/message/gsm7';

// The alphabet as SMS-FACTS.md lists it (3GPP TS 23.038 §6.2.1), written independently of the module's
// table order, so a transposed or missing character in the module shows up here.
const REFERENCE_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ' +
  ' !"#¤%&\'()*+,-./' +
  '0123456789' +
  ':;<=>?' +
  '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§' +
  '¿abcdefghijklmnopqrstuvwxyzäöñüà';
const REFERENCE_EXTENSION = '\f^{}\\[~]|€';

describe('GSM 03.38 tables', () => {
  it('has 127 characters in the default table (128 codes minus ESC) and 10 in the extension table', () => {
    // Arrange
    const basic = new Set(REFERENCE_BASIC);
    // Act / Assert
    expect(REFERENCE_BASIC.length).toBe(127);
    expect(basic.size).toBe(127);
    expect(GSM7_BASIC_TABLE.length).toBe(128);
    expect(GSM7_EXTENSION_TABLE).toHaveLength(10);
  });

  it('classifies every one of the 65 536 UTF-16 code units exactly as the reference lists do', () => {
    // Arrange
    const mismatches: string[] = [];
    // Act
    for (let unit = 0; unit < 0x10000; unit++) {
      const char = String.fromCharCode(unit);
      const expected = REFERENCE_BASIC.includes(char) ? 1 : REFERENCE_EXTENSION.includes(char) ? 2 : 0;
      if (gsm7Septets(unit) !== expected) mismatches.push(unit.toString(16));
    }
    // Assert
    expect(mismatches).toEqual([]);
  });

  it('keeps the standard code positions (index = GSM code)', () => {
    // Spot checks against 23.038's table, including the usual traps: 0x02 is '$' but 0x24 is '¤',
    // 0x40 is '¡', 0x60 is '¿', 0x09 is the capital 'Ç', 0x1B is the escape.
    expect(GSM7_BASIC_TABLE[0x00]).toBe('@');
    expect(GSM7_BASIC_TABLE[0x02]).toBe('$');
    expect(GSM7_BASIC_TABLE[0x09]).toBe('Ç');
    expect(GSM7_BASIC_TABLE[0x0a]).toBe('\n');
    expect(GSM7_BASIC_TABLE[0x0d]).toBe('\r');
    expect(GSM7_BASIC_TABLE[0x10]).toBe('Δ');
    expect(GSM7_BASIC_TABLE[0x11]).toBe('_');
    expect(GSM7_BASIC_TABLE.charCodeAt(GSM7_ESCAPE)).toBe(0x1b);
    expect(GSM7_BASIC_TABLE[0x24]).toBe('¤');
    expect(GSM7_BASIC_TABLE[0x40]).toBe('¡');
    expect(GSM7_BASIC_TABLE[0x41]).toBe('A');
    expect(GSM7_BASIC_TABLE[0x5f]).toBe('§');
    expect(GSM7_BASIC_TABLE[0x60]).toBe('¿');
    expect(GSM7_BASIC_TABLE[0x7f]).toBe('à');
    expect(new Map(GSM7_EXTENSION_TABLE).get(0x65)).toBe('€');
    expect(new Map(GSM7_EXTENSION_TABLE).get(0x0a)).toBe('\f');
    expect(new Map(GSM7_EXTENSION_TABLE).get(0x3c)).toBe('[');
  });

  it('answers 0 (not GSM-7) for numbers that are not UTF-16 code units', () => {
    expect([gsm7Septets(-1), gsm7Septets(0x10000), gsm7Septets(0x1f600), gsm7Septets(Number.NaN)]).toEqual([
      0, 0, 0, 0,
    ]);
  });

  it.each([
    ['a', true, false],
    ['€', true, true],
    ['\f', true, true],
    ['é', true, false],
    ['É', true, false],
    ['Ç', true, false],
    ['ç', false, false], // only the capital is in the table
    ['`', false, false], // 0x60 is '¿', not the backtick
    ['\u001b', false, false], // ESC in a text is not a character
    ['\t', false, false],
    ['ș', false, false],
    ['α', false, false], // Greek capitals that differ from Latin are GSM-7, small letters are not
    ['😀', false, false],
    ['ab', false, false], // one character at a time
  ])('isGsm7Char(%j) is %s, isGsm7Extension is %s', (char, gsm, extension) => {
    expect(isGsm7Char(char)).toBe(gsm);
    expect(isGsm7Extension(char)).toBe(extension);
  });
});
