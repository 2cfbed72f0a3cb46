/**
 * Rows out of a worksheet part (`xl/worksheets/sheetN.xml`), fed as inflated chunks: the hot loop of
 * the xlsx reader, written to allocate nothing per cell beyond the value itself.
 *
 * Cells by type (`t`): `s` shared string, `inlineStr` (`<is>`, rich text runs concatenated, phonetic
 * `<rPh>` left out), `str` formula text, `b` boolean, `e` error text, `d` ISO date, `n` or none a number
 * (a `Date` when its style is a date format). Formula cells give their cached `<v>`, or nothing when the
 * writer did not store one. Cells without `r` take the next column; rows without `r` the next row.
 * Rows and cells must come in ascending order (Excel writes them so; anything else is refused rather
 * than guessed). Merged cells need nothing: only the top-left cell of a merge holds a value.
 */
import type { CellValue, SheetRow } from './cells';
import { MAX_EXCEL_COLUMNS } from './cells';
import { reject } from './errors';
import type { SpreadsheetLimits } from './limits';
import type { SharedStrings } from './shared-strings';
import { excelSerialToDate } from './styles';
import { decodeOoxmlEscapes } from './xml-text';
import { C, CLOSE, IS, OPEN, ROW, RPH, SHEET_DATA, T, TEXT, V, XmlTokenizer } from './xml-tokenizer';

const TYPE_NUMBER = 0;
const TYPE_SHARED = 1;
const TYPE_INLINE = 2;
const TYPE_FORMULA_TEXT = 3;
const TYPE_BOOLEAN = 4;
const TYPE_ERROR = 5;
const TYPE_DATE = 6;

const IN_NOTHING = 0;
const IN_VALUE = 1;
const IN_TEXT = 2;

const VALUE_OPENS = [Buffer.from('<v>')];
const VALUE_CLOSE = Buffer.from('</v></c>');
const INLINE_OPENS = [Buffer.from('<is><t>'), Buffer.from('<is><t xml:space="preserve">')];
const INLINE_CLOSE = Buffer.from('</t></is></c>');

/** An xsd:double as Excel writes it; unambiguous, so it cannot backtrack on a long run of digits. */
const XML_NUMBER = /^\s*[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?\s*$/;
const ISO_ZONE = /(?:Z|[+-]\d\d:?\d\d)$/i;

export interface WorksheetContext {
  part: string;
  sharedStrings: SharedStrings | undefined;
  dateStyles: Uint8Array;
  date1904: boolean;
  limits: Pick<SpreadsheetLimits, 'maxRows' | 'maxColumns' | 'maxCellChars'>;
}

export class WorksheetScanner {
  /** Non-empty rows produced so far. */
  rowCount = 0;

  private readonly tokens: XmlTokenizer;
  private inSheetData = false;
  private inRow = false;
  /** The current row's cells so far (reused; each row gets an exact-size copy). */
  private readonly cells: CellValue[] = [];
  private cellCount = 0;
  private rowNumber = -1;
  private lastRowNumber = 0;
  private inCell = false;
  private column = -1;
  private lastColumn = -1;
  private type = TYPE_NUMBER;
  private style = 0;
  private mode = IN_NOTHING;
  private inInline = false;
  private phonetic = 0;
  private parts = 0;
  private text = '';
  private escapes = false;
  private fastNumber = 0;
  private fastDigits = 0;
  private fastNegative = false;
  private isFast = false;

  constructor(private readonly context: WorksheetContext) {
    this.tokens = new XmlTokenizer(context.part, Math.max(4 * 1024 * 1024, context.limits.maxCellChars * 12));
  }

  /** Rows completed by this chunk (possibly none). */
  feed(chunk: Buffer): SheetRow[] {
    this.tokens.feed(chunk);
    return this.drain([]);
  }

  /** Rows completed by the end of the part. */
  finish(): SheetRow[] {
    this.tokens.finish();
    const rows = this.drain([]);
    if (this.inRow || this.inSheetData) this.corrupt('the sheet ends before its last row does');
    return rows;
  }

  private drain(out: SheetRow[]): SheetRow[] {
    const tokens = this.tokens;
    for (;;) {
      const token = tokens.next();
      if (token === TEXT) {
        if (this.mode !== IN_NOTHING) this.onText();
      } else if (token === OPEN) {
        this.onOpen(out);
      } else if (token === CLOSE) {
        this.onClose(out);
      } else {
        return out; // NEED_MORE or END
      }
    }
  }

  private onOpen(out: SheetRow[]): void {
    const { tokens } = this;
    const empty = tokens.selfClosing;
    switch (tokens.name) {
      case C:
        if (!this.inRow) {
          if (this.inSheetData) this.corrupt('a cell outside a row');
          return;
        }
        this.startCell();
        if (empty) this.endCell();
        else if (this.type === TYPE_INLINE) {
          if (tokens.textBetween(INLINE_OPENS, INLINE_CLOSE)) {
            this.mode = IN_TEXT;
            this.onText();
            this.endCell();
          }
        } else if (tokens.textBetween(VALUE_OPENS, VALUE_CLOSE)) {
          this.mode = IN_VALUE;
          this.onText();
          this.endCell();
        }
        return;
      case V:
        if (this.inCell && !empty) this.mode = IN_VALUE;
        return;
      case IS:
        if (this.inCell && !empty) {
          this.inInline = true;
          this.type = TYPE_INLINE;
        }
        return;
      case T:
        if (this.inInline && this.phonetic === 0 && !empty) this.mode = IN_TEXT;
        return;
      case RPH:
        if (this.inInline && !empty) this.phonetic++;
        return;
      case ROW:
        if (!this.inSheetData) return;
        if (this.inRow) this.corrupt('a row inside a row');
        this.startRow();
        if (empty) this.endRow(out);
        return;
      case SHEET_DATA:
        this.inSheetData = !empty;
        return;
    }
  }

  private onClose(out: SheetRow[]): void {
    switch (this.tokens.name) {
      case V:
      case T:
        this.mode = IN_NOTHING;
        return;
      case RPH:
        if (this.phonetic > 0) this.phonetic--;
        return;
      case IS:
        this.inInline = false;
        return;
      case C:
        if (this.inCell) this.endCell();
        return;
      case ROW:
        if (this.inRow) this.endRow(out);
        return;
      case SHEET_DATA:
        this.inSheetData = false;
        return;
    }
  }

  private startRow(): void {
    const { tokens } = this;
    const a = tokens.attribute('r');
    this.rowNumber = -1;
    if (a !== -1) {
      const number = parseUnsigned(
        tokens.buf,
        tokens.attributes[a * 4 + 2] ?? 0,
        tokens.attributes[a * 4 + 3] ?? 0,
      );
      if (number < 1) this.corrupt('a bad row number');
      this.setRowNumber(number);
    }
    this.inRow = true;
    this.cellCount = 0;
    this.lastColumn = -1;
  }

  private setRowNumber(number: number): void {
    if (number <= this.lastRowNumber) this.corrupt('rows out of order');
    this.rowNumber = number;
  }

  private endRow(out: SheetRow[]): void {
    const rowNumber = this.rowNumber === -1 ? this.lastRowNumber + 1 : this.rowNumber;
    this.lastRowNumber = rowNumber;
    this.inRow = false;
    if (this.cellCount === 0) return;
    const cells = this.cells.slice(0, this.cellCount);
    if (++this.rowCount > this.context.limits.maxRows) {
      reject('TOO_MANY_ROWS', `The sheet has more than ${this.context.limits.maxRows} rows.`, {
        limit: this.context.limits.maxRows,
        rowNumber,
      });
    }
    out.push({ rowNumber, cells });
  }

  private startCell(): void {
    const { tokens } = this;
    const { buf, attributes } = tokens;
    let column = -1;
    let type = TYPE_NUMBER;
    let style = 0;
    for (let a = 0; a < tokens.attributeCount; a++) {
      const nameStart = attributes[a * 4] as number;
      if ((attributes[a * 4 + 1] as number) - nameStart !== 1) continue;
      const start = attributes[a * 4 + 2] as number;
      const end = attributes[a * 4 + 3] as number;
      const name = buf[nameStart];
      if (name === 0x72 /* r */) column = this.reference(buf, start, end);
      else if (name === 0x73 /* s */) style = parseUnsigned(buf, start, end);
      else if (name === 0x74 /* t */) type = cellType(buf, start, end);
    }
    if (type < 0) this.corrupt('an unknown cell type');
    if (style < 0) this.corrupt('a bad cell style');
    if (column === -1) column = this.lastColumn + 1;
    if (column <= this.lastColumn) this.corrupt('cells out of order');
    if (column >= MAX_EXCEL_COLUMNS) this.corrupt('a cell beyond column XFD');
    this.column = column;
    this.type = type;
    this.style = style;
    this.inCell = true;
    this.inInline = false;
    this.phonetic = 0;
    this.mode = IN_NOTHING;
    this.parts = 0;
    this.text = '';
    this.escapes = false;
    this.isFast = false;
  }

  /** The column of a cell reference such as `B12`; its row fixes a row written without `r`. */
  private reference(buf: Buffer, start: number, end: number): number {
    let i = start;
    let column = 0;
    while (i < end && i - start < 4) {
      const letter = (buf[i] as number) | 0x20;
      if (letter < 0x61 || letter > 0x7a) break;
      column = column * 26 + (letter - 0x60);
      i++;
    }
    if (i === start || i - start > 3) this.corrupt('a bad cell reference');
    if (this.rowNumber === -1 && this.lastColumn === -1 && i < end) {
      const row = parseUnsigned(buf, i, end);
      if (row < 1) this.corrupt('a bad cell reference');
      this.setRowNumber(row);
    }
    return column - 1;
  }

  private onText(): void {
    const { tokens } = this;
    if (tokens.textStartOffset === tokens.textEndOffset) return; // `<v></v>` holds nothing
    if (this.parts === 0 && this.mode === IN_VALUE && this.type <= TYPE_SHARED && tokens.textIsPlain) {
      // Fast path: an integer of up to 15 digits (phone numbers, shared string indexes), exact.
      const buf = tokens.buf;
      let i = tokens.textStartOffset;
      const end = tokens.textEndOffset;
      const negative = buf[i] === 0x2d;
      if (negative) i++;
      const digits = end - i;
      if (digits > 0 && digits <= 15) {
        let n = 0;
        for (; i < end; i++) {
          const d = (buf[i] as number) - 0x30;
          if (d < 0 || d > 9) break;
          n = n * 10 + d;
        }
        if (i === end) {
          this.fastNumber = negative ? -n : n;
          this.fastDigits = digits;
          this.fastNegative = negative;
          this.isFast = true;
          this.parts = 1;
          return;
        }
      }
    }
    if (this.isFast) {
      // A second text node in one value (split by a comment or CDATA): rebuild the first as text.
      const abs = String(Math.abs(this.fastNumber));
      this.text = (this.fastNegative ? '-' : '') + '0'.repeat(this.fastDigits - abs.length) + abs;
      this.isFast = false;
    }
    this.text += tokens.text();
    if (tokens.textHasUnderscore) this.escapes = true;
    this.parts++;
    if (this.text.length > this.context.limits.maxCellChars * 7 + 64) this.tooLong(this.text.length);
  }

  private number(): number {
    if (this.isFast) return this.fastNumber;
    if (!XML_NUMBER.test(this.text)) this.corrupt('a number that is not a number');
    return Number(this.text);
  }

  private endCell(): void {
    this.inCell = false;
    this.mode = IN_NOTHING;
    this.lastColumn = this.column;
    if (this.parts === 0) return;
    const value = this.value();
    if (value === null) return;
    const { limits } = this.context;
    if (typeof value === 'string' && value.length > limits.maxCellChars) this.tooLong(value.length);
    if (this.column >= limits.maxColumns) {
      reject('TOO_MANY_COLUMNS', `The sheet has values beyond column ${limits.maxColumns}.`, {
        limit: limits.maxColumns,
        rowNumber: this.rowNumber === -1 ? this.lastRowNumber + 1 : this.rowNumber,
      });
    }
    const { cells } = this;
    for (let c = this.cellCount; c < this.column; c++) cells[c] = null;
    cells[this.column] = value;
    this.cellCount = this.column + 1;
  }

  private value(): CellValue {
    switch (this.type) {
      case TYPE_NUMBER: {
        const n = this.number();
        if (this.context.dateStyles[this.style] !== 1) return n;
        return excelSerialToDate(n, this.context.date1904) ?? n;
      }
      case TYPE_SHARED: {
        const index = this.number();
        const text = Number.isInteger(index) ? this.context.sharedStrings?.get(index) : undefined;
        if (text === undefined) this.corrupt('a reference to a missing shared string');
        return text === '' ? null : text;
      }
      case TYPE_BOOLEAN: {
        const text = this.isFast ? String(this.fastNumber) : this.text.trim();
        if (text === '1' || text === 'true') return true;
        if (text === '0' || text === 'false') return false;
        return this.corrupt('a bad boolean');
      }
      case TYPE_DATE: {
        const text = this.text.trim();
        if (text === '') return null;
        const date = new Date(ISO_ZONE.test(text) || !text.includes('T') ? text : `${text}Z`);
        return Number.isNaN(date.getTime()) ? this.corrupt('a bad date') : date;
      }
      case TYPE_ERROR:
        return this.text === '' ? null : this.text;
      default:
        if (this.text === '') return null;
        return this.escapes ? decodeOoxmlEscapes(this.text) : this.text;
    }
  }

  private tooLong(actual: number): never {
    return reject('CELL_TOO_LONG', `A cell is longer than ${this.context.limits.maxCellChars} characters.`, {
      limit: this.context.limits.maxCellChars,
      actual,
    });
  }

  private corrupt(what: string): never {
    return reject('CORRUPT', `The workbook is damaged: ${what} in ${this.context.part}.`, {
      part: this.context.part,
      rowNumber: this.rowNumber === -1 ? this.lastRowNumber + 1 : this.rowNumber,
    });
  }
}

/** A non-negative integer of up to 15 digits, or -1. */
function parseUnsigned(buf: Buffer, start: number, end: number): number {
  if (end <= start || end - start > 15) return -1;
  let n = 0;
  for (let i = start; i < end; i++) {
    const d = (buf[i] as number) - 0x30;
    if (d < 0 || d > 9) return -1;
    n = n * 10 + d;
  }
  return n;
}

const STR = Buffer.from('str');
const INLINE_STR = Buffer.from('inlineStr');

/** The cell type constant for a `t` attribute value, or -1. */
function cellType(buf: Buffer, start: number, end: number): number {
  const first = buf[start];
  switch (end - start) {
    case 1:
      return first === 0x73
        ? TYPE_SHARED
        : first === 0x6e
          ? TYPE_NUMBER
          : first === 0x62
            ? TYPE_BOOLEAN
            : first === 0x65
              ? TYPE_ERROR
              : first === 0x64
                ? TYPE_DATE
                : -1;
    case 3:
      return sameBytes(buf, start, STR) ? TYPE_FORMULA_TEXT : -1;
    case 9:
      return sameBytes(buf, start, INLINE_STR) ? TYPE_INLINE : -1;
    default:
      return -1;
  }
}

function sameBytes(buf: Buffer, start: number, literal: Uint8Array): boolean {
  for (let i = 0; i < literal.length; i++) if (buf[start + i] !== literal[i]) return false;
  return true;
}
