/**
 * Legacy Excel 97-2003 workbooks (.xls: BIFF8 records in an OLE compound file), parsed by SheetJS.
 *
 * Unlike the xlsx reader, the whole workbook is parsed into memory at once: SheetJS has no streaming
 * BIFF reader, and it does not need one here, since an .xls sheet stops at 65 536 rows × 256 columns. What
 * bounds memory is a cheap pass over the BIFF records *before* SheetJS runs (see {@link scanBiff}): it
 * counts the cells of every sheet against `maxXlsCells` (SheetJS needs ~1 KB per cell at peak) and refuses
 * encrypted or pre-97 workbooks, which SheetJS would misread or half-decrypt.
 *
 * Cells come out exactly as the xlsx reader gives them (`cells.ts`): numbers stay numbers, date-formatted
 * numbers become dates through the same `excelSerialToDate` (SheetJS's own `cellDates` is not used, so
 * the 1900 leap-year quirk and the rounding match the xlsx reader to the millisecond), formula cells give
 * their cached result, error cells their text.
 *
 * This is the only module that imports SheetJS; `spreadsheet.ts` loads it lazily, so functions that never
 * meet an .xls do not evaluate it at cold start.
 */
import { runInNewContext } from 'node:vm';
import { type CellObject, CFB, read, type WorkBook } from '@e965/xlsx';
import { logger } from '#observability/logger';
import type { CellValue, SheetRow } from './cells';
import { reject, SpreadsheetRejected } from './errors';
import type { SpreadsheetLimits } from './limits';
import { excelSerialToDate, isDateFormat } from './styles';
import type { SheetInfo } from './workbook';

export interface XlsWorkbook {
  readonly sheets: readonly SheetInfo[];
  /** Non-empty rows of one sheet in batches; EMPTY when it has none. */
  rowBatches(sheet: SheetInfo): AsyncGenerator<SheetRow[]>;
}

const BATCH_ROWS = 500;

export function openXls(data: Uint8Array, limits: Readonly<SpreadsheetLimits>): XlsWorkbook {
  if (data.length > limits.maxCompressedBytes) {
    reject('TOO_LARGE', `The file is larger than ${limits.maxCompressedBytes} bytes.`, {
      limit: limits.maxCompressedBytes,
      actual: data.length,
    });
  }
  const bytes = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  const book = withSheetJsConsole(() =>
    withinTime(limits.maxXlsParseMs, () => {
      scanBiff(workbookStream(bytes), limits);
      return parseWorkbook(bytes);
    }),
  );
  const flags = book.Workbook?.Sheets ?? [];
  const sheets = book.SheetNames.map((name, index) => ({
    name,
    hidden: (flags[index]?.Hidden ?? 0) !== 0,
    index,
  }));
  if (sheets.length === 0) reject('EMPTY', 'The workbook has no sheets.');
  const date1904 = book.Workbook?.WBProps?.date1904 === true;
  return {
    sheets,
    rowBatches: (sheet) => sheetRowBatches(book, sheet, date1904, limits),
  };
}

const ENCRYPTED_PACKAGE = Buffer.from('EncryptedPackage', 'utf16le');

/** The `Workbook` stream of the compound file: BIFF8. Anything else in an OLE container is refused. */
function workbookStream(bytes: Buffer): Buffer {
  let container: { FullPaths: string[] };
  try {
    container = CFB.read(bytes, { type: 'buffer' });
  } catch (cause) {
    // A password-protected xlsx is an OLE file too; say so even when its container is damaged.
    if (bytes.includes(ENCRYPTED_PACKAGE)) {
      reject('ENCRYPTED', 'The workbook is password-protected; save it without a password.', {}, cause);
    }
    return reject(
      'CORRUPT',
      'The .xls workbook is damaged: its compound-file structure cannot be read.',
      {},
      cause,
    );
  }
  const find = (path: string): { content?: Uint8Array } | null => CFB.find(container, path);
  if (find('/EncryptedPackage') || find('/EncryptionInfo')) {
    reject('ENCRYPTED', 'The workbook is password-protected; save it without a password.');
  }
  const stream = find('/Workbook');
  if (!stream) {
    if (find('/Book')) {
      reject('UNSUPPORTED_FORMAT', 'Excel 5.0/95 workbooks are not supported; save the file as .xlsx.', {
        format: 'xls-biff5',
      });
    }
    reject('NOT_A_SPREADSHEET', 'The file is an Office document but not an Excel workbook.');
  }
  const content = stream.content;
  if (!content || content.length === 0)
    reject('CORRUPT', 'The workbook is damaged: its Workbook stream is empty.');
  return Buffer.from(content.buffer, content.byteOffset, content.byteLength);
}

// BIFF record types (MS-XLS 2.3).
const BOF = 0x0809;
const FILEPASS = 0x002f;
const BIFF8 = 0x0600;
/** Records holding one cell. BLANK/MULBLANK are left out: SheetJS keeps no object for them. */
const SINGLE_CELL = new Set([0x0203, 0x027e, 0x00fd, 0x0204, 0x0205, 0x0006, 0x00d6]);
const MULRK = 0x00bd;

/**
 * Walks the record headers (4 bytes each, no parsing of their content) before SheetJS builds anything:
 * BIFF8 only, no FILEPASS (an encrypted workbook), every record inside the stream, and at most
 * `maxXlsCells` cells in all sheets together.
 */
function scanBiff(stream: Buffer, limits: Readonly<SpreadsheetLimits>): void {
  if (stream.length < 8 || stream.readUInt16LE(0) !== BOF) {
    reject('CORRUPT', 'The workbook is damaged: its Workbook stream does not start with a BOF record.');
  }
  if (stream.readUInt16LE(4) !== BIFF8) {
    reject('UNSUPPORTED_FORMAT', 'Excel 5.0/95 workbooks are not supported; save the file as .xlsx.', {
      format: 'xls-biff5',
    });
  }
  let cells = 0;
  let offset = 0;
  let substreams = 0; // BOF records seen: the first opens the workbook globals, later ones a sheet each
  // Padding after the last EOF is normal (the stream fills whole sectors): stop at a zero record type.
  while (offset + 4 <= stream.length) {
    const type = stream.readUInt16LE(offset);
    const length = stream.readUInt16LE(offset + 2);
    if (type === 0 && length === 0) break;
    if (offset + 4 + length > stream.length) {
      reject('CORRUPT', 'The workbook is damaged: a record runs past the end of the file (truncated?).');
    }
    if (type === FILEPASS)
      reject('ENCRYPTED', 'The workbook is password-protected; save it without a password.');
    if (type === BOF) substreams++;
    const cellsHere = SINGLE_CELL.has(type)
      ? 1
      : type === MULRK && length >= 6
        ? Math.floor((length - 6) / 6)
        : 0;
    // SheetJS loops forever on a FORMULA record among the globals; no real workbook has cells there.
    if (cellsHere > 0 && substreams < 2)
      reject('CORRUPT', 'The workbook is damaged: it has a cell outside every sheet.');
    cells += cellsHere;
    if (cells > limits.maxXlsCells) {
      reject('TOO_LARGE', `The workbook has more than ${limits.maxXlsCells} cells.`, {
        limit: limits.maxXlsCells,
      });
    }
    offset += 4 + length;
  }
}

/**
 * SheetJS reports every record type it skips with a bare `console.error` (no option turns it off), so a
 * damaged upload would write hundreds of unstructured lines. `read` is synchronous: no other code can run
 * while console.error is swapped, and it is restored before `read` returns or throws, so nothing else ever
 * sees the swap. What SheetJS said becomes one structured warning (count and the distinct messages).
 */
/**
 * Runs the synchronous SheetJS parse under a time limit. A damaged or crafted file can send SheetJS into
 * an endless loop (a FORMULA record among the workbook's globals does: found by the mutation test), and
 * no timer or Lambda-side check can stop synchronous code. `vm`'s `timeout` can: its watchdog terminates
 * whatever JavaScript runs until the script returns, functions of this context included, and turns it
 * into an ordinary error. Termination skips `finally` blocks inside, so the console swap wraps this.
 */
function withinTime<T>(timeoutMs: number, run: () => T): T {
  try {
    return runInNewContext('run()', { run }, { timeout: timeoutMs }) as T;
  } catch (cause) {
    if ((cause as { code?: unknown } | null)?.code !== 'ERR_SCRIPT_EXECUTION_TIMEOUT') throw cause;
    return reject(
      'CORRUPT',
      `The .xls workbook could not be read within ${timeoutMs / 1000} s; it is damaged.`,
      { limit: timeoutMs },
      cause,
    );
  }
}

function withSheetJsConsole<T>(run: () => T): T {
  const original = console.error;
  const said: string[] = [];
  console.error = (...args: unknown[]) => {
    said.push(args.map(String).join(' '));
  };
  try {
    return run();
  } finally {
    console.error = original;
    if (said.length > 0) {
      logger.warn('SheetJS skipped parts of an .xls file', {
        skippedRecords: said.length,
        messages: [...new Set(said)].slice(0, 10),
      });
    }
  }
}

function parseWorkbook(bytes: Buffer): WorkBook {
  try {
    return read(bytes, {
      type: 'buffer',
      dense: true,
      cellNF: true, // the number format tells dates from numbers
      cellDates: false,
      cellFormula: false,
      cellHTML: false,
      cellText: false,
      cellStyles: false,
      sheetStubs: false,
      bookVBA: false,
    });
  } catch (cause) {
    if (cause instanceof SpreadsheetRejected) throw cause;
    const message = cause instanceof Error ? cause.message : '';
    if (/password/i.test(message)) {
      reject('ENCRYPTED', 'The workbook is password-protected; save it without a password.', {}, cause);
    }
    // SheetJS throws plain Errors (and TypeErrors from reading past a short record) on damaged input.
    return reject('CORRUPT', 'The workbook is damaged and cannot be read.', {}, cause);
  }
}

async function* sheetRowBatches(
  book: WorkBook,
  sheet: SheetInfo,
  date1904: boolean,
  limits: Readonly<SpreadsheetLimits>,
): AsyncGenerator<SheetRow[]> {
  const data = (book.Sheets[sheet.name]?.['!data'] ?? []) as (CellObject[] | undefined)[];
  let count = 0;
  let batch: SheetRow[] = [];
  for (let r = 0; r < data.length; r++) {
    const source = data[r];
    if (source === undefined || source === null) continue;
    const cells = rowCells(source, date1904, limits, r + 1);
    if (cells.length === 0) continue;
    if (++count > limits.maxRows) {
      reject('TOO_MANY_ROWS', `The sheet has more than ${limits.maxRows} rows.`, {
        limit: limits.maxRows,
        rowNumber: r + 1,
      });
    }
    batch.push({ rowNumber: r + 1, cells });
    if (batch.length === BATCH_ROWS) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length > 0) yield batch;
  if (count === 0) reject('EMPTY', `Sheet "${sheet.name}" is empty.`, { sheet: sheet.name });
}

/** One row's cells up to its last non-empty one (`[]` for a row with none). */
function rowCells(
  source: readonly (CellObject | undefined)[],
  date1904: boolean,
  limits: Readonly<SpreadsheetLimits>,
  rowNumber: number,
): CellValue[] {
  const cells: CellValue[] = [];
  let last = -1;
  for (let c = 0; c < source.length; c++) {
    const cell = source[c];
    const value = cell ? cellValue(cell, date1904) : null;
    cells.push(value);
    if (value === null) continue;
    last = c;
    if (typeof value === 'string' && value.length > limits.maxCellChars) {
      reject('CELL_TOO_LONG', `A cell is longer than ${limits.maxCellChars} characters.`, {
        limit: limits.maxCellChars,
        actual: value.length,
      });
    }
    if (c >= limits.maxColumns) {
      reject('TOO_MANY_COLUMNS', `The sheet has values beyond column ${limits.maxColumns}.`, {
        limit: limits.maxColumns,
        rowNumber,
      });
    }
  }
  cells.length = last + 1;
  return cells;
}

/** Excel's error texts by BIFF error code (MS-XLS 2.5.10 BErr). */
const ERROR_TEXT: Readonly<Record<number, string>> = {
  0: '#NULL!',
  7: '#DIV/0!',
  15: '#VALUE!',
  23: '#REF!',
  29: '#NAME?',
  36: '#NUM!',
  42: '#N/A',
  43: '#GETTING_DATA',
};

function cellValue(cell: CellObject, date1904: boolean): CellValue {
  const { v } = cell;
  switch (cell.t) {
    case 'n': {
      if (typeof v !== 'number') return null;
      const format = typeof cell.z === 'string' ? cell.z : undefined;
      if (format === undefined || !isDateFormat(format)) return v;
      return excelSerialToDate(v, date1904) ?? v;
    }
    case 's':
      return typeof v === 'string' && v !== '' ? v : null;
    case 'b':
      return typeof v === 'boolean' ? v : null;
    case 'e':
      return typeof v === 'number' ? (ERROR_TEXT[v] ?? cell.w ?? null) : null;
    case 'd':
      return v instanceof Date ? v : null;
    default:
      return null;
  }
}
