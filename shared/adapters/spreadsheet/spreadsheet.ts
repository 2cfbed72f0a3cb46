/**
 * The public face of the spreadsheet readers: open an uploaded file (xlsx, legacy .xls or CSV, told
 * apart by its first bytes, never by its name), list its sheets, and stream its non-empty rows.
 *
 * Every problem with the file's content is a {@link SpreadsheetRejected} with a stable code; any other
 * error (the source stream failing, a bug) passes through untouched, so a batch can tell "retry" from
 * "tell the user". Limits ({@link SpreadsheetLimits}) bound memory and time whatever the file holds.
 *
 * Rows stream out as the sheet is inflated, so some problems (a size field that lies, a CRC that fails,
 * damage further down, too many rows) surface only after earlier rows were yielded: a file is good
 * only once its iteration has completed, and a rejection at any point rejects the whole file.
 *
 * ```ts
 * const book = await openSpreadsheet(() => s3Body(), { limits: { maxRows: 100_000 } });
 * book.sheets; // [{ name: 'Clienți', hidden: false, index: 0 }, …]
 * for await (const { rowNumber, cells } of book.rows({ sheet: 'Clienți' })) …
 * ```
 */
import type { Readable } from 'node:stream';
import type { SheetRow } from './cells';
import { asBytes, type CsvDelimiter, csvRowBatches } from './csv-reader';
import { reject } from './errors';
import { resolveLimits, type SpreadsheetLimits } from './limits';
import type { SheetInfo } from './workbook';
import { openXlsx } from './xlsx-reader';

export type { CellValue, SheetRow } from './cells';
export { columnIndex, columnLetter } from './cells';
export type { CsvDelimiter } from './csv-reader';
export { SpreadsheetRejected, type SpreadsheetRejectionCode } from './errors';
export { DEFAULT_SPREADSHEET_LIMITS, type SpreadsheetLimits } from './limits';
export type { SheetInfo } from './workbook';

/**
 * The file's bytes, or a function that opens a fresh stream of them (an S3 GetObject body). A CSV is
 * streamed and re-opened for each read; an xlsx is read whole into memory (a zip's directory is at its
 * end), within `maxCompressedBytes`, and so is an .xls (parsed whole once, within `maxXlsCells`).
 */
export type SpreadsheetSource = Uint8Array | (() => Readable | AsyncIterable<Uint8Array | string>);

export interface OpenOptions {
  limits?: Partial<SpreadsheetLimits>;
}

export interface ReadOptions {
  /** A sheet name (exact, else ignoring case) or 0-based index; default: the first visible sheet. */
  sheet?: string | number;
  /** Stop after this many non-empty rows (a preview); not an error, unlike `limits.maxRows`. */
  maxRows?: number;
  /** CSV only: overrides the sniffed delimiter. */
  delimiter?: CsvDelimiter;
}

export type SpreadsheetFormat = 'xlsx' | 'xls' | 'csv';

export interface Spreadsheet {
  readonly format: SpreadsheetFormat;
  /** Tab order; a CSV has one sheet named `CSV`. */
  readonly sheets: readonly SheetInfo[];
  /**
   * Non-empty rows of one sheet. Rejects with EMPTY when the sheet has none. Each call reads the file
   * again (for an xlsx, shared strings included) and holds nothing once it ends.
   */
  rows(options?: ReadOptions): AsyncGenerator<SheetRow>;
  /** The same rows in batches of a few hundred: the fast path for bulk consumers. */
  rowBatches(options?: ReadOptions): AsyncGenerator<SheetRow[]>;
}

const CSV_SHEET: readonly SheetInfo[] = Object.freeze([
  Object.freeze({ name: 'CSV', hidden: false, index: 0 }),
]);
const SNIFF_BYTES = 8 * 1024;
const CSV_SLICE = 256 * 1024;

export async function openSpreadsheet(
  source: SpreadsheetSource,
  options?: OpenOptions,
): Promise<Spreadsheet> {
  const limits = resolveLimits(options?.limits);
  const { kind, bytes } = await sniff(source, limits);
  if (kind === 'xlsx') {
    const book = await openXlsx(bytes, limits);
    return withRows('xlsx', book.sheets, (sheet) => book.rowBatches(sheet));
  }
  if (kind === 'xls') {
    // Loaded on first use: SheetJS is large, and most functions never meet an .xls.
    const { openXls } = await import('./xls-reader');
    const book = openXls(bytes, limits);
    return withRows('xls', book.sheets, (sheet) => book.rowBatches(sheet));
  }
  const open = () => (source instanceof Uint8Array ? slices(source) : source());
  return withRows('csv', CSV_SHEET, (_sheet, read) => csvRowBatches(open(), limits, read.delimiter));
}

/** The sheets of a workbook (one for a CSV). */
export async function listSheets(source: SpreadsheetSource, options?: OpenOptions): Promise<SheetInfo[]> {
  return [...(await openSpreadsheet(source, options)).sheets];
}

/** Open and read one sheet in one go. */
export async function* readRows(
  source: SpreadsheetSource,
  options?: ReadOptions & OpenOptions,
): AsyncGenerator<SheetRow> {
  yield* (await openSpreadsheet(source, options)).rows(options);
}

function withRows(
  format: SpreadsheetFormat,
  sheets: readonly SheetInfo[],
  batches: (sheet: SheetInfo, options: ReadOptions) => AsyncGenerator<SheetRow[]>,
): Spreadsheet {
  async function* rowBatches(options: ReadOptions = {}): AsyncGenerator<SheetRow[]> {
    const sheet = pickSheet(sheets, options.sheet);
    let left = options.maxRows ?? Number.POSITIVE_INFINITY;
    if (left <= 0) return;
    for await (const batch of batches(sheet, options)) {
      if (batch.length >= left) {
        yield batch.length === left ? batch : batch.slice(0, left);
        return;
      }
      left -= batch.length;
      yield batch;
    }
  }
  async function* rows(options?: ReadOptions): AsyncGenerator<SheetRow> {
    for await (const batch of rowBatches(options)) yield* batch;
  }
  return { format, sheets, rows, rowBatches };
}

function pickSheet(sheets: readonly SheetInfo[], wanted: string | number | undefined): SheetInfo {
  const found =
    wanted === undefined
      ? (sheets.find((s) => !s.hidden) ?? sheets[0])
      : typeof wanted === 'number'
        ? sheets[wanted]
        : (sheets.find((s) => s.name === wanted) ??
          sheets.find((s) => s.name.toLowerCase() === wanted.toLowerCase()));
  if (found === undefined) {
    reject('SHEET_NOT_FOUND', `There is no sheet ${JSON.stringify(wanted)}.`, {
      sheet: wanted,
      sheets: sheets.map((s) => s.name),
    });
  }
  return found;
}

async function* slices(bytes: Uint8Array): AsyncGenerator<Uint8Array> {
  for (let offset = 0; offset < bytes.length; offset += CSV_SLICE)
    yield bytes.subarray(offset, offset + CSV_SLICE);
}

type Sniffed = { kind: 'xlsx' | 'xls'; bytes: Uint8Array } | { kind: 'csv'; bytes?: undefined };

/** What the file is, by its first bytes; a workbook (xlsx or xls) is read whole. */
async function sniff(source: SpreadsheetSource, limits: Readonly<SpreadsheetLimits>): Promise<Sniffed> {
  if (source instanceof Uint8Array) {
    const kind = classify(source.subarray(0, SNIFF_BYTES));
    return kind === 'csv' ? { kind } : { kind, bytes: source };
  }
  const iterator = source()[Symbol.asyncIterator]();
  try {
    const chunks: Uint8Array[] = [];
    let length = 0;
    let kind: ReturnType<typeof classify> | undefined;
    for (;;) {
      const { done, value } = await iterator.next();
      if (!done) {
        const bytes = asBytes(value);
        chunks.push(bytes);
        length += bytes.length;
        if (length > limits.maxCompressedBytes) tooLarge(limits);
      }
      if (kind === undefined && (done || length >= SNIFF_BYTES)) {
        kind = classify(Buffer.concat(chunks).subarray(0, SNIFF_BYTES));
        if (kind === 'csv') return { kind };
      }
      if (done) break;
    }
    return { kind: kind === 'xls' ? 'xls' : 'xlsx', bytes: Buffer.concat(chunks) };
  } finally {
    await iterator.return?.();
  }
}

function tooLarge(limits: Readonly<SpreadsheetLimits>): never {
  return reject('TOO_LARGE', `The file is larger than ${limits.maxCompressedBytes} bytes.`, {
    limit: limits.maxCompressedBytes,
  });
}

function startsWith(bytes: Uint8Array, ...prefix: number[]): boolean {
  return prefix.every((b, i) => bytes[i] === b);
}

const BINARY_MAGIC: ReadonlyArray<readonly number[]> = [
  [0x25, 0x50, 0x44, 0x46], // %PDF
  [0x89, 0x50, 0x4e, 0x47], // PNG
  [0x47, 0x49, 0x46, 0x38], // GIF8
  [0xff, 0xd8, 0xff], // JPEG
  [0x1f, 0x8b], // gzip
  [0x52, 0x61, 0x72, 0x21], // Rar!
  [0x37, 0x7a, 0xbc, 0xaf], // 7z
  [0x7b, 0x5c, 0x72, 0x74, 0x66], // {\rtf
];

function classify(head: Uint8Array): 'xlsx' | 'xls' | 'csv' {
  if (head.length === 0) reject('EMPTY', 'The file is empty.');
  if (startsWith(head, 0x50, 0x4b, 0x03, 0x04) || startsWith(head, 0x50, 0x4b, 0x05, 0x06)) return 'xlsx';
  // An OLE compound file: a legacy .xls, or a password-protected xlsx (the xls reader tells them apart).
  if (startsWith(head, 0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1)) return 'xls';
  if (startsWith(head, 0xff, 0xfe) || startsWith(head, 0xfe, 0xff)) return 'csv'; // UTF-16 text
  if (BINARY_MAGIC.some((magic) => startsWith(head, ...magic)) || head.includes(0)) {
    reject('NOT_A_SPREADSHEET', 'The file is neither an Excel workbook (.xlsx, .xls) nor a CSV text.');
  }
  const text = Buffer.from(head.buffer, head.byteOffset, Math.min(head.length, 1024)).toString('latin1');
  const markup = text
    .replace(/^\uFEFF|^\u00EF\u00BB\u00BF/, '')
    .trimStart()
    .slice(0, 512)
    .toLowerCase();
  if (/^<(\?xml|!doctype|html|table|workbook)/.test(markup)) {
    const format = markup.includes('urn:schemas-microsoft-com:office:spreadsheet') ? 'xml-2003' : 'html';
    reject(
      'UNSUPPORTED_FORMAT',
      'The file is a web page or XML saved with a spreadsheet name; save it as .xlsx.',
      {
        format,
      },
    );
  }
  return 'csv';
}
