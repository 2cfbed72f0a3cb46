/**
 * Turns what a user, an API client or a spreadsheet gave us into the canonical text libphonenumber-js
 * judges: an optional `+` then ASCII digits. Everything that decides *which digits the user meant*
 * lives here; everything that decides *whether those digits are a number* is libphonenumber-js's.
 *
 * Why so strict: a bulk upload must never send to a number the user did not write. So only separators
 * that cannot change the digits are dropped, artefacts that are certain (Excel's text apostrophe, a
 * float cell's `.0`, scientific notation that still holds every digit) are undone, and anything else,
 * letters, extensions, a second `+`, digits lost to scientific notation, is refused with a reason.
 *
 * Accepted beyond ASCII, because each maps to one digit string only: the digit sets libphonenumber-js
 * itself reads (fullwidth, Arabic-Indic, extended Arabic-Indic), the fullwidth `＋`, Unicode spaces,
 * dashes, dots, slashes and brackets as separators, and invisible format characters (zero-width
 * spaces, joiners, direction marks and embeddings, BOM, soft hyphen) which are dropped wherever they are.
 */

/** Why a value was refused before any numbering plan was consulted. */
export type CleaningRejection = 'EMPTY' | 'INVALID' | 'MANGLED';

/** A refusal; shared constants, so rejecting allocates nothing. */
export interface CleaningFailure {
  readonly rejected: CleaningRejection;
}

const EMPTY: CleaningFailure = Object.freeze({ rejected: 'EMPTY' });
const INVALID: CleaningFailure = Object.freeze({ rejected: 'INVALID' });
const MANGLED: CleaningFailure = Object.freeze({ rejected: 'MANGLED' });

/** Longest input (after trimming) worth reading: a formatted number with every separator is ~30. */
export const MAX_INPUT_LENGTH = 100;
/** Most digits a canonical number may have: 15 (E.164) plus room for prefixes libphonenumber strips. */
export const MAX_DIGITS = 30;

const INVISIBLES = /[\u00AD\u200B-\u200F\u202A-\u202E\u2060-\u2064\u2066-\u2069\uFEFF]/g;
/** A numeric spreadsheet cell written out as a float: `40722123456.0` (or `,0` in comma locales). */
const FLOAT_CELL = /^[1-9]\d*[.,]0$/;
/** Scientific notation as spreadsheets write it: `7.22123456E+8`, `7,22123456E+08`. */
const SCIENTIFIC = /^\+?(\d+)(?:[.,](\d+))?[eE]\+?(\d+)$/;
/** Anything else that reads as a number in scientific notation (negative, fractional exponent…). */
const NUMBER_LIKE = /^[+-]?\d+(?:[.,]\d*)?[eE][+-]?\d+$/;
const LEADING_ZEROS = /^0+/;

const isSpace = (c: number): boolean =>
  c === 32 ||
  c === 9 ||
  c === 0xa0 ||
  (c >= 0x2000 && c <= 0x200a) ||
  c === 0x202f ||
  c === 0x205f ||
  c === 0x3000;

const isInvisible = (c: number): boolean =>
  c === 0xad ||
  (c >= 0x200b && c <= 0x200f) ||
  (c >= 0x202a && c <= 0x202e) ||
  (c >= 0x2060 && c <= 0x2064) ||
  (c >= 0x2066 && c <= 0x2069) ||
  c === 0xfeff;

/** Trimmed from both ends: spaces, line breaks and invisible characters. */
const isBlank = (c: number): boolean => isSpace(c) || isInvisible(c) || (c >= 10 && c <= 13);

/** `- . / ( )` and their Unicode look-alikes (hyphens, en/em dashes, minus, fullwidth forms). */
const isPunctuation = (c: number): boolean =>
  c === 45 ||
  c === 46 ||
  c === 47 ||
  c === 40 ||
  c === 41 ||
  (c >= 0x2010 && c <= 0x2015) ||
  c === 0x2212 ||
  c === 0xff0d ||
  c === 0xff0e ||
  c === 0xff0f ||
  c === 0xff08 ||
  c === 0xff09;

const isApostrophe = (c: number): boolean => c === 39 || c === 0x2018 || c === 0x2019;

/** The ASCII digit for a non-ASCII digit libphonenumber-js reads, else `undefined`. */
function foreignDigit(c: number): string | undefined {
  if (c >= 0xff10 && c <= 0xff19) return String.fromCharCode(c - 0xff10 + 48);
  if (c >= 0x0660 && c <= 0x0669) return String.fromCharCode(c - 0x0660 + 48);
  if (c >= 0x06f0 && c <= 0x06f9) return String.fromCharCode(c - 0x06f0 + 48);
  return undefined;
}

const capped = (digits: string): string | CleaningFailure =>
  digits === '' || digits.length > MAX_DIGITS ? INVALID : digits;

function cleanNumber(value: number): string | CleaningFailure {
  if (!Number.isInteger(value) || value < 0) return INVALID;
  if (value > Number.MAX_SAFE_INTEGER) return MANGLED; // the digits were rounded before we saw them
  return String(value);
}

/** Float cells and scientific notation; `text` is trimmed and free of invisible characters. */
function cleanSpreadsheetText(text: string): string | CleaningFailure | undefined {
  if (FLOAT_CELL.test(text)) return capped(text.slice(0, -2));
  const scientific = SCIENTIFIC.exec(text);
  if (scientific !== null) {
    const [, whole = '', fraction = '', exponent = ''] = scientific;
    // Exactly as many decimals as the exponent: every digit is there. Fewer: trailing digits were
    // rounded away (or are zeros we cannot tell from lost ones). More: not a whole number.
    if (fraction.length !== Number(exponent)) return MANGLED;
    return capped(`${whole}${fraction}`.replace(LEADING_ZEROS, ''));
  }
  return NUMBER_LIKE.test(text) ? MANGLED : undefined;
}

/**
 * The canonical text (`+`? then ASCII digits) for an input, or why it was refused.
 * - EMPTY: `null`, `undefined`, or nothing but blanks (and at most a leading apostrophe).
 * - MANGLED: scientific notation that lost digits or is not a whole number; an integer beyond 2^53.
 * - INVALID: anything else that is not digits and separators with at most one leading `+`.
 */
export function cleanPhoneInput(input: unknown): string | CleaningFailure {
  if (input === null || input === undefined) return EMPTY;
  if (typeof input === 'number') return cleanNumber(input);
  if (typeof input !== 'string') return INVALID;

  let start = 0;
  let end = input.length;
  while (start < end && isBlank(input.charCodeAt(start))) start++;
  while (end > start && isBlank(input.charCodeAt(end - 1))) end--;
  if (end - start > MAX_INPUT_LENGTH) return INVALID;
  if (start < end && isApostrophe(input.charCodeAt(start))) {
    start++;
    while (start < end && isBlank(input.charCodeAt(start))) start++;
  }
  if (start === end) return EMPTY;

  if (input.charCodeAt(end - 1) === 48) {
    let before = end - 2;
    while (before > start && isInvisible(input.charCodeAt(before))) before--;
    const separator = input.charCodeAt(before);
    if (separator === 46 || separator === 44) {
      const text = input.slice(start, end).replace(INVISIBLES, '');
      if (FLOAT_CELL.test(text)) return capped(text.slice(0, -2));
    }
  }

  // `out` stays undefined while the input is already canonical, so the common case copies nothing.
  let out: string | undefined;
  let digits = 0;
  let plus = false;
  for (let i = start; i < end; i++) {
    const c = input.charCodeAt(i);
    if (c >= 48 && c <= 57) {
      digits++;
      if (out !== undefined) out += input[i];
      continue;
    }
    if (c === 43 && i === start) {
      plus = true;
      continue;
    }
    out ??= input.slice(start, i);
    if (c === 43 || c === 0xff0b) {
      if (plus || digits > 0) return INVALID;
      plus = true;
      out += '+';
      continue;
    }
    if (isSpace(c) || isPunctuation(c) || isInvisible(c)) continue;
    const digit = foreignDigit(c);
    if (digit !== undefined) {
      digits++;
      out += digit;
      continue;
    }
    if (c === 44 || c === 69 || c === 101) {
      return cleanSpreadsheetText(input.slice(start, end).replace(INVISIBLES, '')) ?? INVALID;
    }
    return INVALID;
  }
  if (digits === 0 || digits > MAX_DIGITS) return INVALID;
  return out ?? (start === 0 && end === input.length ? input : input.slice(start, end));
}
