import type { SpreadsheetCell, SpreadsheetColumnKind } from '#ports/spreadsheet-writer';

/**
 * First characters that make Excel, LibreOffice or Google Sheets read a cell as a formula (OWASP,
 * "CSV Injection"): `=`, `+`, `-`, `@`, TAB (0x09) and CR (0x0D).
 */
export const FORMULA_TRIGGERS: ReadonlySet<string> = new Set(['=', '+', '-', '@', '\t', '\r']);

/** E.164: `+`, a country code that does not start with 0, at most 15 digits in all. */
const E164 = /^\+[1-9][0-9]{1,14}$/;

/**
 * A text as it is written to a file: a value that starts with a trigger gets a leading `'`, which
 * spreadsheet programs show as text and never evaluate. The same rule applies to CSV and to xlsx
 * string cells, so an xlsx re-saved as CSV by a spreadsheet program stays safe too.
 */
export function guardText(value: string): string {
  return FORMULA_TRIGGERS.has(value.charAt(0)) ? `'${value}` : value;
}

/**
 * The phone rule: an E.164 number is written as its digits, without the `+` (`+40722000011` →
 * `40722000011`, the MSISDN form). It never starts with a trigger, so it needs no `'` in any format and
 * reads as a plain number (xlsx: a text cell, so no digit is lost to a float or scientific notation).
 * Anything that is not E.164 is an ordinary text and is guarded like one.
 */
export function phoneDigits(value: string): string {
  return E164.test(value) ? value.slice(1) : guardText(value);
}

/**
 * A cell as it is written, by its column's kind: a string (guarded), a number (a finite number ≥ 0,
 * which no program reads as a formula), or `undefined` for an empty cell. A negative or non-finite
 * number, or a string in a number column, is written as guarded text: one rule for every cell.
 */
export function safeCell(kind: SpreadsheetColumnKind, value: SpreadsheetCell): string | number | undefined {
  if (value === undefined || value === '') return undefined;
  if (typeof value === 'number') {
    return kind === 'number' && Number.isFinite(value) && value >= 0 ? value : guardText(String(value));
  }
  return kind === 'phone' ? phoneDigits(value) : guardText(value);
}
