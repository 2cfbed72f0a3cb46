/**
 * What the readers accept before they refuse a file. Every zip limit is checked on what the file
 * declares before any byte is inflated, and again on what is actually produced, so a file that lies
 * about its sizes is stopped as soon as it passes either. Memory stays bounded by these numbers
 * whatever the file holds: only the zip itself and the shared strings are ever held whole.
 *
 * Why these defaults (measured with `bench/spreadsheet.bench.ts` on 1 000 000 rows of phone, name and
 * a ~55-character Romanian text): such a workbook is ~23 MB zipped; its sheet inflates to 242 MB with
 * inline strings (ratio 10:1), or 143 MB plus 76 MB of shared strings (1.3 M distinct texts, ratio
 * 15:1). The defaults take Excel's own maximum of 1 048 576 rows with several times that much text
 * per row, and refuse what no spreadsheet looks like (a 200:1 ratio; deflate's ceiling is ~1030:1,
 * which is what bombs use).
 */
export interface SpreadsheetLimits {
  /** Size of the file as uploaded (an xlsx is held in memory while it is read). Default 100 MiB. */
  maxCompressedBytes: number;
  /** Sum of the uncompressed sizes of all zip entries. Default 1 GiB (~5 s of scanning). */
  maxUncompressedBytes: number;
  /** Uncompressed size of any one entry; for a CSV, the size of the file. Default 768 MiB. */
  maxEntryUncompressedBytes: number;
  /**
   * The shared strings part is held in memory whole (about its own size for Romanian text, ASCII at one
   * byte a character, plus 12 bytes per text), so it is capped separately. Default 256 MiB.
   */
  maxSharedStringsBytes: number;
  /** Entries in the zip's central directory (a real workbook has 10 to a few hundred). Default 10 000. */
  maxEntries: number;
  /** Uncompressed / compressed size of an entry larger than {@link ratioCheckMinBytes}. Default 200. */
  maxCompressionRatio: number;
  /** Entries up to this size are not ratio-checked (a small repetitive part may compress 1000:1). 1 MiB. */
  ratioCheckMinBytes: number;
  /** Non-empty rows in the sheet, header included. Default 1 048 576, Excel's maximum. */
  maxRows: number;
  /** The last non-empty column of any row, 1-based (A = 1). Default 1024 (batch files use 3). */
  maxColumns: number;
  /** UTF-16 code units in one cell. Default 32 767, Excel's own limit. */
  maxCellChars: number;
  /**
   * Non-blank cells in a legacy .xls workbook, all sheets together, counted before it is parsed: SheetJS
   * holds the whole workbook in memory, ~1 KB a cell at peak (a 65 535-row sheet of 7 columns, 458 752
   * cells in 21 MB, peaked at 538 MB RSS and took 3.6 s; `bench/xls.bench.ts` measures 3 columns).
   * Default 500 000: such a full sheet, within the 1–2 GiB of the functions that read uploads.
   */
  maxXlsCells: number;
  /**
   * Time allowed to parse an .xls (SheetJS runs synchronously and loops forever on some damaged files).
   * Default 30 s: the largest workbook `maxXlsCells` lets through parses in ~3.6 s on one vCPU.
   */
  maxXlsParseMs: number;
}

const MiB = 1024 * 1024;

export const DEFAULT_SPREADSHEET_LIMITS: Readonly<SpreadsheetLimits> = Object.freeze({
  maxCompressedBytes: 100 * MiB,
  maxUncompressedBytes: 1024 * MiB,
  maxEntryUncompressedBytes: 768 * MiB,
  maxSharedStringsBytes: 256 * MiB,
  maxEntries: 10_000,
  maxCompressionRatio: 200,
  ratioCheckMinBytes: 1 * MiB,
  maxRows: 1_048_576,
  maxColumns: 1024,
  maxCellChars: 32_767,
  maxXlsCells: 500_000,
  maxXlsParseMs: 30_000,
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
