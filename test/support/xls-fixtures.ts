/**
 * Legacy .xls (BIFF8) fixtures, written by SheetJS's own writer, plus surgery on their BIFF records for
 * what that writer cannot produce (formulas, encryption).
 */
import { type CellObject, CFB, utils, type WorkBook, write } from '@e965/xlsx';

export type XlsCell = string | number | boolean | null | CellObject;

export interface XlsSheet {
  name: string;
  rows: XlsCell[][];
  /** 1 hidden, 2 very hidden. */
  hidden?: 0 | 1 | 2;
}

/** A BIFF8 workbook in a compound file, as Excel 97-2003 saves it. */
export function xlsWorkbook(sheets: readonly XlsSheet[]): Buffer {
  const book: WorkBook = utils.book_new();
  for (const sheet of sheets) {
    utils.book_append_sheet(
      book,
      utils.aoa_to_sheet(sheet.rows.map((r) => r.map((c) => c ?? null))),
      sheet.name,
    );
  }
  book.Workbook = { Sheets: sheets.map((s) => ({ Hidden: s.hidden ?? 0 })) };
  return write(book, { type: 'buffer', bookType: 'xls' }) as Buffer;
}

/** A compound file holding only `streams` (a .doc, an encrypted xlsx…). */
export function compoundFile(streams: Record<string, Buffer>): Buffer {
  const container = CFB.utils.cfb_new();
  for (const [path, content] of Object.entries(streams)) CFB.utils.cfb_add(container, path, content);
  return Buffer.from(CFB.write(container, { type: 'buffer' }) as Uint8Array);
}

interface BiffRecord {
  type: number;
  data: Buffer;
}

/** Replaces the Workbook stream with `edit(stream)`, keeping the rest of the compound file. */
export function editStreamBytes(xls: Buffer, edit: (stream: Buffer) => Buffer): Buffer {
  const container = CFB.read(xls, { type: 'buffer' });
  const entry = CFB.find(container, '/Workbook');
  entry.content = edit(Buffer.from(entry.content));
  entry.size = entry.content.length;
  return Buffer.from(CFB.write(container, { type: 'buffer' }) as Uint8Array);
}

/** Rewrites the Workbook stream's records with `edit`, keeping the rest of the compound file. */
export function editWorkbookStream(xls: Buffer, edit: (records: BiffRecord[]) => BiffRecord[]): Buffer {
  return editStreamBytes(xls, (stream) => {
    const records: BiffRecord[] = [];
    for (let offset = 0; offset + 4 <= stream.length; ) {
      const type = stream.readUInt16LE(offset);
      const length = stream.readUInt16LE(offset + 2);
      if (type === 0 && length === 0) break;
      records.push({ type, data: stream.subarray(offset + 4, offset + 4 + length) });
      offset += 4 + length;
    }
    const edited = edit(records).map(({ type, data }) => {
      const header = Buffer.alloc(4);
      header.writeUInt16LE(type, 0);
      header.writeUInt16LE(data.length, 2);
      return Buffer.concat([header, data]);
    });
    return Buffer.concat(edited);
  });
}

/** The stream's last record claims 200 bytes more than the stream has (a cut-off copy). */
export function withOverlongLastRecord(xls: Buffer): Buffer {
  return editStreamBytes(xls, (stream) => {
    let last = 0;
    for (let offset = 0; offset + 4 <= stream.length; offset += 4 + stream.readUInt16LE(offset + 2)) {
      if (stream.readUInt16LE(offset) === 0 && stream.readUInt16LE(offset + 2) === 0) break;
      last = offset;
    }
    const copy = Buffer.from(stream);
    copy.writeUInt16LE(copy.readUInt16LE(last + 2) + 200, last + 2);
    return copy;
  });
}

const NUMBER = 0x0203;
const FORMULA = 0x0006;

/**
 * Turns the NUMBER cell at (`row`, `col`) (0-based) of the last sheet into a formula `=<int>` whose cached
 * result is the number: SheetJS writes formula cells as plain values. The record grows, which moves no
 * BOUNDSHEET offset as long as the cell is in the last sheet.
 */
export function numberToFormula(xls: Buffer, row: number, col: number, formulaInt = 7): Buffer {
  return editWorkbookStream(xls, (records) =>
    records.map((record) => {
      if (
        record.type !== NUMBER ||
        record.data.readUInt16LE(0) !== row ||
        record.data.readUInt16LE(2) !== col
      )
        return record;
      const data = Buffer.alloc(6 + 8 + 2 + 4 + 2 + 3);
      record.data.copy(data, 0, 0, 14); // rw, col, ixfe, cached IEEE value
      data.writeUInt16LE(0, 14); // grbit
      data.writeUInt32LE(0, 16); // chn
      data.writeUInt16LE(3, 20); // cce
      data.writeUInt8(0x1e, 22); // ptgInt
      data.writeUInt16LE(formulaInt, 23);
      return { type: FORMULA, data };
    }),
  );
}

/** Adds a FILEPASS record (RC4 encryption header) after the workbook's BOF, as Excel does for a password. */
export function withFilePass(xls: Buffer): Buffer {
  return editWorkbookStream(xls, ([bof, ...rest]) => [
    bof as BiffRecord,
    { type: 0x002f, data: Buffer.alloc(54, 1) },
    ...rest,
  ]);
}
