import { describe, expect, it } from 'vitest';
import { validateSenderId } from '#domain/sender/sender-id';

describe('validateSenderId', () => {
  it.each([
    ['SendSMS', 'SendSMS'],
    ['A', 'A'],
    ['Shop 24', 'Shop 24'],
    ['ABCDEFGHIJK', 'ABCDEFGHIJK'], // 11 characters: the maximum
    ['  My Shop  ', 'My Shop'], // outer spaces trimmed, inner kept
    ['1a', '1a'],
  ])('accepts the alphanumeric sender %j as %j', (input, value) => {
    expect(validateSenderId(input)).toEqual({ ok: true, kind: 'alphanumeric', value });
  });

  it.each([
    ['1234', '1234'], // short code
    ['40722123456', '40722123456'],
    ['+40722123456', '40722123456'], // the '+' of international format is stripped
    ['123456789012345', '123456789012345'], // 15 digits: the maximum
    [' 0040722123456 ', '0040722123456'],
  ])('accepts the numeric sender %j as %j', (input, value) => {
    expect(validateSenderId(input)).toEqual({ ok: true, kind: 'numeric', value });
  });

  it.each([
    ['', 'EMPTY'],
    ['   ', 'EMPTY'],
    ['ABCDEFGHIJKL', 'TOO_LONG'], // 12 characters
    ['1234567890123456', 'TOO_LONG'], // 16 digits
    ['+1234567890123456', 'TOO_LONG'],
    ['Shop-24', 'INVALID_CHARACTERS'],
    ['Magazinul Ănei', 'INVALID_CHARACTERS'], // diacritics are not ASCII letters
    ['Shop😀', 'INVALID_CHARACTERS'],
    ['+', 'INVALID_CHARACTERS'],
    ['+40 722', 'INVALID_CHARACTERS'], // a '+' only as the first character of an all-digit sender
    ['Shop\t24', 'INVALID_CHARACTERS'],
    ['Way too long-name', 'INVALID_CHARACTERS'], // characters are checked before length
    ['12 34', 'NO_LETTER'], // digits with a space: not a number, and no letter
    ['123 456', 'NO_LETTER'],
    ['1234 5678 901', 'TOO_LONG'], // 13 characters: length is checked before the missing letter
  ])('rejects %j with %s', (input, reason) => {
    expect(validateSenderId(input)).toEqual({ ok: false, reason });
  });
});
