import { once } from 'node:events';
import { Writable } from 'node:stream';
import ExcelJS from 'exceljs';
import type {
  ByteSink,
  SpreadsheetCell,
  SpreadsheetColumn,
  SpreadsheetWriter,
  StreamingSpreadsheetWriter,
} from '#ports/spreadsheet-writer';
import { guardText, safeCell } from './formula-guard';

/**
 * Above this many rows the workbook is streamed (exceljs `stream.xlsx.WorkbookWriter`: each row is
 * serialised and compressed as it comes, memory stays flat). Up to it, the in-memory `Workbook` is
 * used: it writes shared strings as Excel does (a smaller file), but holds every cell as an object
 * (roughly 1 KB a row), which is fine for ten thousand rows and not for a million.
 */
export const XLSX_STREAMING_ABOVE_ROWS = 10_000;

const CONTENT_TYPE = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const SHEET = 'Results';
/** Bytes of the streamed zip waiting for a slow sink before the row loop pauses. */
const OUT_BUFFER_BYTES = 1024 * 1024;
/** Sheet XML allowed to wait for the zip's deflate before the row loop pauses (see `zipCaughtUp`). */
const SHEET_BACKLOG_BYTES = 4 * 1024 * 1024;
const BACKLOG_CHECK_ROWS = 100;
/** A zip that compresses nothing for this long is stuck: the export fails rather than hangs. */
const STALL_MS = 60_000;
/** Excel's built-in "Text" format: a phone column stays text, even when a user edits a cell. */
const TEXT_FORMAT = '@';

type Sheet = Pick<ExcelJS.Worksheet, 'columns' | 'getRow'>;

/**
 * xlsx in which every string is a string cell: exceljs turns only `{ formula }` objects into formulas,
 * and this writer only ever passes strings and numbers, after the same guard as CSV (a leading `'` on
 * `= + - @` TAB CR) so that the file stays safe when a spreadsheet program re-saves it as CSV.
 * Header row in bold and frozen; phone columns formatted as text.
 */
export function makeXlsxWriter(
  options: { streamingAboveRows?: number } = {},
): SpreadsheetWriter & StreamingSpreadsheetWriter {
  const streamingAbove = options.streamingAboveRows ?? XLSX_STREAMING_ABOVE_ROWS;
  return {
    format: 'xlsx',
    contentType: CONTENT_TYPE,
    writeTo: (columns, rows, sink, hints = {}) => streamXlsx(columns, rows, sink, hints),
    async write(columns, rows, hints = {}) {
      const expected = hints.expectedRows;
      return expected !== undefined && expected <= streamingAbove
        ? writeInMemory(columns, rows)
        : writeStreaming(columns, rows);
    },
  };
}

async function writeInMemory(
  columns: readonly SpreadsheetColumn[],
  rows: AsyncIterable<readonly SpreadsheetCell[]>,
): Promise<Uint8Array> {
  const workbook = new ExcelJS.Workbook();
  const sheet = workbook.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  setUp(sheet, columns);
  for await (const row of rows) sheet.addRow(cells(columns, row));
  return new Uint8Array(await workbook.xlsx.writeBuffer());
}

async function writeStreaming(
  columns: readonly SpreadsheetColumn[],
  rows: AsyncIterable<readonly SpreadsheetCell[]>,
): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  await streamXlsx(columns, rows, { write: async (chunk) => void chunks.push(chunk) });
  return new Uint8Array(Buffer.concat(chunks));
}

/**
 * The streamed workbook (exceljs `stream.xlsx.WorkbookWriter`): each row is serialised and deflated as
 * it comes, and the zip's bytes go to `sink` through a Writable whose backpressure pauses the row loop
 * (`writableNeedDrain`): however slow the sink, at most about `OUT_BUFFER_BYTES` wait in between.
 */
async function streamXlsx(
  columns: readonly SpreadsheetColumn[],
  rows: AsyncIterable<readonly SpreadsheetCell[]>,
  sink: ByteSink,
  options: { sheetName?: string } = {},
): Promise<void> {
  const out = new Writable({
    highWaterMark: OUT_BUFFER_BYTES,
    write(chunk: Buffer, _encoding, done) {
      sink.write(chunk).then(() => done(), done);
    },
  });
  const finished = once(out, 'finish');
  finished.catch(() => {}); // awaited below; a sink failure must not be an unhandled rejection meanwhile
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: out,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(options.sheetName ?? SHEET, {
    views: [{ state: 'frozen', ySplit: 1 }],
  });
  setUp(sheet, columns);
  sheet.getRow(1).commit();
  let count = 0;
  for await (const row of rows) {
    sheet.addRow(cells(columns, row)).commit();
    if (++count % BACKLOG_CHECK_ROWS === 0) await zipCaughtUp(sheet, out);
  }
  sheet.commit();
  await Promise.all([workbook.commit(), finished]);
}

/** Column widths and formats, and the header row (guarded like any other text). */
function setUp(sheet: Sheet, columns: readonly SpreadsheetColumn[]): void {
  sheet.columns = columns.map((column) => ({
    width: column.width ?? 12,
    ...(column.kind === 'phone' ? { style: { numFmt: TEXT_FORMAT } } : {}),
  }));
  const header = sheet.getRow(1);
  header.values = columns.map((column) => guardText(column.header));
  header.font = { bold: true };
}

/** exceljs values: strings and numbers only (never an object, so never a formula); null is empty. */
function cells(
  columns: readonly SpreadsheetColumn[],
  row: readonly SpreadsheetCell[],
): (string | number | null)[] {
  return columns.map((column, i) => safeCell(column.kind, row[i]) ?? null);
}

/** exceljs internals: a streamed sheet's XML stream and the archiver entry stream it feeds. */
interface SheetStream {
  stream?: { pipes?: { _writableState?: { length: number }; _readableState?: { length: number } }[] };
}

/**
 * Bytes of sheet XML not yet taken by the zip. exceljs's sheet stream writes into archiver's entry
 * stream without heeding its backpressure, so a row source faster than deflate (a million rows from
 * memory) would pile the whole uncompressed sheet up there (~820 MB for 1M rows, measured). Read through
 * exceljs internals (4.4): when they change, this reads 0 and only `out`'s backpressure is left.
 */
function sheetBacklog(sheet: unknown): number {
  const entry = (sheet as SheetStream).stream?.pipes?.[0];
  return (entry?._writableState?.length ?? 0) + (entry?._readableState?.length ?? 0);
}

/**
 * Waits until the zip has caught up: `out` drained (a slow sink: `once` rejects if it fails, so this
 * never waits for a drain that cannot come) and the sheet's backlog under `SHEET_BACKLOG_BYTES`
 * (deflate runs on libuv's threads; polled every millisecond). Throws if nothing moves for `STALL_MS`.
 */
async function zipCaughtUp(sheet: unknown, out: Writable): Promise<void> {
  let last = Number.POSITIVE_INFINITY;
  let movedAt = Date.now();
  for (;;) {
    if (out.destroyed) return; // the sink failed: the final await reports it
    if (out.writableNeedDrain) await once(out, 'drain');
    const backlog = sheetBacklog(sheet);
    if (backlog <= SHEET_BACKLOG_BYTES) return;
    if (backlog < last) [last, movedAt] = [backlog, Date.now()];
    else if (Date.now() - movedAt > STALL_MS) throw new Error('The xlsx zip stream stalled');
    await new Promise((resolve) => setTimeout(resolve, 1));
  }
}
