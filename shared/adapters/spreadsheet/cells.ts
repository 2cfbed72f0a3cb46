/**
 * What a row of a spreadsheet is once read, whatever the file format.
 *
 * - Text cells are strings exactly as typed (no trimming, no normalisation); numbers stay numbers
 *   (`40722123456`, never `4.07e10` text); booleans are booleans; formula cells give their cached value.
 * - Date-formatted numbers (and `t="d"` cells) become a `Date` whose UTC fields are the wall-clock date
 *   and time Excel shows (spreadsheet dates carry no time zone).
 * - Error cells (`#N/A`, `#DIV/0!`) give their text, as Excel shows it.
 * - Empty cells, and empty text, are `null`. CSV fields are always text (or `null`): no type guessing,
 *   so `0722…` keeps its leading zero.
 */
export type CellValue = string | number | boolean | Date | null;

export interface SheetRow {
  /** 1-based, as Excel shows it; empty rows are skipped but never renumber the rows after them. */
  rowNumber: number;
  /**
   * Index 0 is column A. Sparse rows are filled with `null`; the array ends at the last non-empty cell,
   * so an index past its end is an empty cell too.
   */
  cells: CellValue[];
}

/** Excel's last column, XFD. */
export const MAX_EXCEL_COLUMNS = 16_384;

/** 0 → 'A', 25 → 'Z', 26 → 'AA', 16383 → 'XFD'. */
export function columnLetter(index: number): string {
  if (!Number.isSafeInteger(index) || index < 0) throw new RangeError(`Not a column index: ${index}`);
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** 'A' → 0, 'aa' → 26, 'XFD' → 16383. Throws a `RangeError` for anything but 1–3 letters up to XFD. */
export function columnIndex(letters: string): number {
  const index = columnIndexOf(letters, 0, letters.length);
  if (index < 0) throw new RangeError(`Not a column: ${JSON.stringify(letters)}`);
  return index;
}

/** The 0-based column of the letters in `text[start, end)`, or -1 when they are not a column up to XFD. */
export function columnIndexOf(text: string, start: number, end: number): number {
  if (end <= start || end - start > 3) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const code = text.charCodeAt(i) | 0x20; // lower case
    if (code < 97 || code > 122) return -1;
    n = n * 26 + (code - 96);
  }
  return n <= MAX_EXCEL_COLUMNS ? n - 1 : -1;
}
