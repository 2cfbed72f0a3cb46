/**
 * The structure of an xlsx package: which part is the workbook (`_rels/.rels`), its sheets in tab order
 * with their visibility (`xl/workbook.xml`), and where each sheet, the shared strings and the styles
 * are (`xl/_rels/workbook.xml.rels`). Missing relationship parts fall back to Excel's usual names.
 */
import { reject } from './errors';
import { END, NEED_MORE, OPEN, RELATIONSHIP, SHEET, WORKBOOK_PR, XmlTokenizer } from './xml-tokenizer';
import { readEntry, type ZipArchive, type ZipEntry } from './zip-reader';

export interface SheetInfo {
  /** As shown on the tab. */
  name: string;
  /** `hidden` or `veryHidden` in Excel: not shown as a tab, yet readable. */
  hidden: boolean;
  /** 0-based position in the workbook's tab order (hidden sheets included). */
  index: number;
}

export interface WorkbookParts {
  sheets: SheetInfo[];
  /** Part of each sheet, by index; undefined when the workbook names a sheet it does not contain. */
  sheetEntries: (ZipEntry | undefined)[];
  sharedStrings: ZipEntry | undefined;
  styles: ZipEntry | undefined;
  date1904: boolean;
}

/** Structural parts are small; anything bigger is not a workbook we should parse. */
const MAX_STRUCTURE_BYTES = 16 * 1024 * 1024;

async function tokensOf(archive: ZipArchive, entry: ZipEntry): Promise<XmlTokenizer> {
  const tokens = new XmlTokenizer(entry.name, MAX_STRUCTURE_BYTES);
  tokens.feed(await readEntry(archive, entry, MAX_STRUCTURE_BYTES));
  tokens.finish();
  return tokens;
}

/** Relationships of a part: id → { type (last path segment), part name }. */
async function readRelationships(
  archive: ZipArchive,
  source: string,
): Promise<Map<string, { type: string; target: string }>> {
  const slash = source.lastIndexOf('/');
  const directory = source.slice(0, slash + 1);
  const relationships = new Map<string, { type: string; target: string }>();
  const entry = archive.find(`${directory}_rels/${source.slice(slash + 1)}.rels`);
  if (entry === undefined) return relationships;
  const tokens = await tokensOf(archive, entry);
  for (let token = tokens.next(); token !== END && token !== NEED_MORE; token = tokens.next()) {
    if (token !== OPEN || tokens.name !== RELATIONSHIP) continue;
    const id = tokens.get('Id');
    const target = tokens.get('Target');
    const type = tokens.get('Type') ?? '';
    if (id === undefined || target === undefined || tokens.get('TargetMode') === 'External') continue;
    relationships.set(id, {
      type: type.slice(type.lastIndexOf('/') + 1),
      target: resolvePart(directory, target),
    });
  }
  return relationships;
}

/** A relationship target as a part name: relative to `directory` unless absolute, `..` resolved. */
export function resolvePart(directory: string, target: string): string {
  let decoded = target;
  try {
    decoded = decodeURIComponent(target);
  } catch {
    // not percent-encoded after all
  }
  const segments: string[] = [];
  const path = decoded.startsWith('/') ? decoded.slice(1) : directory + decoded;
  for (const segment of path.split('/')) {
    if (segment === '..') segments.pop();
    else if (segment !== '.' && segment !== '') segments.push(segment);
  }
  return segments.join('/');
}

export async function readWorkbookParts(archive: ZipArchive): Promise<WorkbookParts> {
  const root = await readRelationships(archive, '');
  const office = [...root.values()].find((r) => r.type === 'officeDocument')?.target ?? 'xl/workbook.xml';
  const workbook = archive.find(office);
  if (workbook === undefined) return await notAWorkbook(archive);
  if (/\.bin$/i.test(workbook.name)) {
    reject('UNSUPPORTED_FORMAT', 'Binary workbooks (.xlsb) are not supported; save the file as .xlsx.', {
      format: 'xlsb',
    });
  }
  const relationships = await readRelationships(archive, workbook.name);
  const byType = (type: string) => [...relationships.values()].find((r) => r.type === type)?.target;
  const directory = workbook.name.slice(0, workbook.name.lastIndexOf('/') + 1);

  const sheets: SheetInfo[] = [];
  const sheetEntries: (ZipEntry | undefined)[] = [];
  let date1904 = false;
  const tokens = await tokensOf(archive, workbook);
  for (let token = tokens.next(); token !== END && token !== NEED_MORE; token = tokens.next()) {
    if (token !== OPEN) continue;
    if (tokens.name === WORKBOOK_PR) {
      const value = tokens.get('date1904');
      date1904 = value === '1' || value === 'true';
    } else if (tokens.name === SHEET) {
      const index = sheets.length;
      const state = tokens.get('state');
      const id = tokens.get('id');
      const target =
        (id === undefined ? undefined : relationships.get(id)?.target) ??
        `${directory}worksheets/sheet${index + 1}.xml`;
      sheets.push({
        name: tokens.get('name') ?? `Sheet${index + 1}`,
        hidden: state === 'hidden' || state === 'veryHidden',
        index,
      });
      sheetEntries.push(archive.find(target));
    }
  }
  return {
    sheets,
    sheetEntries,
    sharedStrings: archive.find(byType('sharedStrings') ?? `${directory}sharedStrings.xml`),
    styles: archive.find(byType('styles') ?? `${directory}styles.xml`),
    date1904,
  };
}

/** NOT_A_SPREADSHEET, or UNSUPPORTED_FORMAT for an OpenDocument spreadsheet (a zip too). */
async function notAWorkbook(archive: ZipArchive): Promise<never> {
  const mimetype = archive.find('mimetype');
  if (mimetype !== undefined && mimetype.uncompressedSize < 200) {
    const type = (await readEntry(archive, mimetype, 200)).toString('latin1');
    if (type.includes('opendocument.spreadsheet')) {
      reject(
        'UNSUPPORTED_FORMAT',
        'OpenDocument spreadsheets (.ods) are not supported; save the file as .xlsx.',
        {
          format: 'ods',
        },
      );
    }
  }
  return reject('NOT_A_SPREADSHEET', 'The file is a zip archive but not an Excel workbook.');
}
