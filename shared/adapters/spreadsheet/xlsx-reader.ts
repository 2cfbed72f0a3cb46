/**
 * xlsx workbooks: the zip's central directory is checked when the workbook is opened (see zip-reader),
 * then each read inflates only what it needs: the shared strings (held compactly in memory), the styles
 * (which styles are dates) and the one sheet, streamed through {@link WorksheetScanner}.
 */
import type { SheetRow } from './cells';
import { reject } from './errors';
import type { SpreadsheetLimits } from './limits';
import { loadSharedStrings, type SharedStrings } from './shared-strings';
import { readDateStyles } from './styles';
import { readWorkbookParts, type SheetInfo, type WorkbookParts } from './workbook';
import { WorksheetScanner } from './worksheet';
import { XmlTokenizer } from './xml-tokenizer';
import { entryChunks, openZip, readEntry, type ZipArchive } from './zip-reader';

const MAX_STYLES_BYTES = 64 * 1024 * 1024;

export interface XlsxWorkbook {
  readonly sheets: readonly SheetInfo[];
  /** Non-empty rows of one sheet in batches (one per inflated chunk); EMPTY when it has none. */
  rowBatches(sheet: SheetInfo): AsyncGenerator<SheetRow[]>;
}

export async function openXlsx(data: Uint8Array, limits: Readonly<SpreadsheetLimits>): Promise<XlsxWorkbook> {
  const archive = openZip(data, limits);
  const parts = await readWorkbookParts(archive);
  if (parts.sheets.length === 0) reject('EMPTY', 'The workbook has no sheets.');
  return {
    sheets: parts.sheets,
    rowBatches: (sheet) => sheetRowBatches(archive, parts, sheet, limits),
  };
}

async function* sheetRowBatches(
  archive: ZipArchive,
  parts: WorkbookParts,
  sheet: SheetInfo,
  limits: Readonly<SpreadsheetLimits>,
): AsyncGenerator<SheetRow[]> {
  const entry = parts.sheetEntries[sheet.index];
  if (entry === undefined) {
    reject('CORRUPT', `The workbook is damaged: sheet "${sheet.name}" has no content part.`, {
      sheet: sheet.name,
    });
  }
  const [sharedStrings, dateStyles] = [
    await sharedStringsOf(archive, parts, limits),
    await dateStylesOf(archive, parts),
  ];
  const scanner = new WorksheetScanner({
    part: entry.name,
    sharedStrings,
    dateStyles,
    date1904: parts.date1904,
    limits,
  });
  for await (const chunk of entryChunks(archive, entry)) {
    const rows = scanner.feed(chunk);
    if (rows.length > 0) yield rows;
  }
  const rows = scanner.finish();
  if (rows.length > 0) yield rows;
  if (scanner.rowCount === 0) reject('EMPTY', `Sheet "${sheet.name}" is empty.`, { sheet: sheet.name });
}

async function sharedStringsOf(
  archive: ZipArchive,
  parts: WorkbookParts,
  limits: Readonly<SpreadsheetLimits>,
): Promise<SharedStrings | undefined> {
  const entry = parts.sharedStrings;
  if (entry === undefined) return undefined;
  if (entry.uncompressedSize > limits.maxSharedStringsBytes) {
    reject('TOO_LARGE', `The workbook's shared strings exceed ${limits.maxSharedStringsBytes} bytes.`, {
      limit: limits.maxSharedStringsBytes,
      actual: entry.uncompressedSize,
    });
  }
  return loadSharedStrings(entryChunks(archive, entry), entry.uncompressedSize, limits);
}

async function dateStylesOf(archive: ZipArchive, parts: WorkbookParts): Promise<Uint8Array> {
  const entry = parts.styles;
  if (entry === undefined) return new Uint8Array(0);
  const tokens = new XmlTokenizer(entry.name, MAX_STYLES_BYTES);
  tokens.feed(await readEntry(archive, entry, MAX_STYLES_BYTES));
  tokens.finish();
  return readDateStyles(tokens);
}
