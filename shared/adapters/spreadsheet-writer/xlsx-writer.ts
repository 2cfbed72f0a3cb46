import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import type { SpreadsheetCell, SpreadsheetColumn, SpreadsheetWriter } from '#ports/spreadsheet-writer';
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
/** Excel's built-in "Text" format: a phone column stays text, even when a user edits a cell. */
const TEXT_FORMAT = '@';

type Sheet = Pick<ExcelJS.Worksheet, 'columns' | 'getRow'>;

/**
 * xlsx in which every string is a string cell: exceljs turns only `{ formula }` objects into formulas,
 * and this writer only ever passes strings and numbers, after the same guard as CSV (a leading `'` on
 * `= + - @` TAB CR) so that the file stays safe when a spreadsheet program re-saves it as CSV.
 * Header row in bold and frozen; phone columns formatted as text.
 */
export function makeXlsxWriter(options: { streamingAboveRows?: number } = {}): SpreadsheetWriter {
  const streamingAbove = options.streamingAboveRows ?? XLSX_STREAMING_ABOVE_ROWS;
  return {
    format: 'xlsx',
    contentType: CONTENT_TYPE,
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
  const stream = new PassThrough();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  const ended = new Promise<void>((resolve, reject) => {
    stream.on('end', resolve);
    stream.on('error', reject);
  });
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream,
    useStyles: true,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(SHEET, { views: [{ state: 'frozen', ySplit: 1 }] });
  setUp(sheet, columns);
  sheet.getRow(1).commit();
  for await (const row of rows) sheet.addRow(cells(columns, row)).commit();
  sheet.commit();
  await workbook.commit();
  await ended;
  return new Uint8Array(Buffer.concat(chunks));
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
