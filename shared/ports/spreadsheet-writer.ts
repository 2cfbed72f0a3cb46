/** The file formats a report can be downloaded in. */
export type SpreadsheetFormat = 'csv' | 'xlsx';

/**
 * How a column's cells are written.
 * - `text`: any string, guarded against formula injection (a leading `= + - @` TAB or CR gets a `'`).
 * - `number`: a non-negative number (a number cell in xlsx; never guarded, never a formula).
 * - `phone`: an E.164 number, written as its digits without the `+` (see `formula-guard.ts`).
 */
export type SpreadsheetColumnKind = 'text' | 'number' | 'phone';

export interface SpreadsheetColumn {
  readonly header: string;
  readonly kind: SpreadsheetColumnKind;
  /** Column width in characters (xlsx only). */
  readonly width?: number;
}

/** One cell: `undefined` is an empty cell. */
export type SpreadsheetCell = string | number | undefined;

/**
 * Writes rows to a whole file in one format. Every writer makes every string cell safe to open in a
 * spreadsheet program: nothing it writes is ever evaluated as a formula (OWASP CSV injection).
 */
export interface SpreadsheetWriter {
  readonly format: SpreadsheetFormat;
  readonly contentType: string;
  /**
   * The file's bytes. `rows` yields rows of cells in column order; `expectedRows` (a hint) lets the
   * writer pick an in-memory or a streaming strategy.
   */
  write(
    columns: readonly SpreadsheetColumn[],
    rows: AsyncIterable<readonly SpreadsheetCell[]>,
    options?: { readonly expectedRows?: number; readonly sheetName?: string },
  ): Promise<Uint8Array>;
}

/**
 * Where a streamed file's bytes go, in order. `write` resolves once the sink can take more: a slow sink
 * (an S3 part upload) holds the writer back, so memory stays bounded whatever the file's size.
 */
export interface ByteSink {
  write(chunk: Uint8Array): Promise<void>;
}

/** A writer that streams the file into a sink instead of answering it whole (an export of any size). */
export interface StreamingSpreadsheetWriter {
  readonly format: SpreadsheetFormat;
  readonly contentType: string;
  writeTo(
    columns: readonly SpreadsheetColumn[],
    rows: AsyncIterable<readonly SpreadsheetCell[]>,
    sink: ByteSink,
    options?: { readonly sheetName?: string },
  ): Promise<void>;
}
