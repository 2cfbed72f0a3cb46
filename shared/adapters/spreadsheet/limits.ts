/**
 * What the readers accept before they refuse a file. Every limit is checked on what the file declares
 * before any byte is inflated, and again on what is actually produced, so a file that lies about its
 * sizes is stopped as soon as it exceeds either. Memory stays bounded by these numbers whatever the
 * file holds: the zip itself and the shared strings are the only parts held whole.
 *
 * The defaults fit a 1 048 576-row sheet (Excel's maximum) of phone, name and a ~70-character Romanian
 * text with plenty to spare, as measured with `bench/spreadsheet.bench.ts`: such a file is ~44 MB as
 * shared strings and ~38 MB as inline strings, and its sheet inflates to ~235 MB (inline strings).
 */
export interface SpreadsheetLimits {
  /** Size of the file as uploaded (for an xlsx, the zip). The zip is held in memory while it is read. */
  maxCompressedBytes: number;
  /** Sum of the uncompressed sizes of all zip entries (declared, and actual while inflating). */
  maxUncompressedBytes: number;
  /** Uncompressed size of any one entry; for a CSV, the size of the file. */
  maxEntryUncompressedBytes: number;
  /** The shared strings part is decoded into memory whole; its uncompressed size is capped separately. */
  maxSharedStringsBytes: number;
  /** Entries in the zip's central directory (a real workbook has 10 to a few hundred). */
  maxEntries: number;
  /** Uncompressed / compressed size of an entry larger than {@link ratioCheckMinBytes}. */
  maxCompressionRatio: number;
  /** Entries smaller than this are not ratio-checked (a tiny repetitive part can legitimately compress 1000:1). */
  ratioCheckMinBytes: number;
  /** Non-empty rows in the sheet (header included). */
  maxRows: number;
  /** The last non-empty column of any row, 1-based (A = 1). */
  maxColumns: number;
  /** UTF-16 code units in one cell. */
  maxCellChars: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_SPREADSHEET_LIMITS: Readonly<SpreadsheetLimits> = Object.freeze({
  maxCompressedBytes: 100 * MiB,
  maxUncompressedBytes: 1024 * MiB,
  maxEntryUncompressedBytes: 768 * MiB,
  maxSharedStringsBytes: 320 * MiB,
  maxEntries: 10_000,
  maxCompressionRatio: 100,
  ratioCheckMinBytes: 1 * MiB,
  maxRows: 1_048_576,
  maxColumns: 1024,
  maxCellChars: 32_767,
});

/** The defaults with `overrides` applied; a non-positive or non-numeric override is a programming error. */
export function resolveLimits(
  overrides: Partial<SpreadsheetLimits> | undefined,
): Readonly<SpreadsheetLimits> {
  if (overrides === undefined) return DEFAULT_SPREADSHEET_LIMITS;
  const limits = { ...DEFAULT_SPREADSHEET_LIMITS };
  for (const key of Object.keys(DEFAULT_SPREADSHEET_LIMITS) as (keyof SpreadsheetLimits)[]) {
    const value = overrides[key];
    if (value === undefined) continue;
    if (typeof value !== 'number' || !(value > 0))
      throw new RangeError(`Limit ${key} must be positive, got ${value}`);
    limits[key] = value;
  }
  return Object.freeze(limits);
}
