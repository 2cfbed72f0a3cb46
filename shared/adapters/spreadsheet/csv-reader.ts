/**
 * CSV as people export it (RFC 4180 and what Excel does beyond it), streamed chunk by chunk.
 *
 * - Quoted fields may hold delimiters, `""` (a quote) and line breaks; text after a closing quote is
 *   kept (`"ab"c` → `abc`, as Excel reads it); an unterminated quote is CORRUPT rather than a silently
 *   swallowed rest of the file.
 * - Records end at CRLF, LF or a lone CR. Row numbers count records, empty ones included, as Excel
 *   numbers the rows of an opened CSV; empty records are skipped.
 * - Delimiter: `,`, `;` or tab, whichever occurs most (outside quotes) in the first lines; a tie goes
 *   to `;`, the list separator of Romanian Excel (whose decimal comma makes `12,5;13` look like both).
 * - Encoding: a UTF-8 BOM is skipped; UTF-16 with a BOM (Excel's "Unicode text") is transcoded; a file
 *   whose first 64 KiB are not valid UTF-8 is read as Windows-1250, the code page Romanian Excel uses
 *   for "CSV (comma delimited)"; invalid UTF-8 later in a UTF-8 file is CORRUPT.
 * - Fields are text, never converted (`0722…` keeps its zero); empty fields are `null`.
 *
 * Like the xlsx reader, it scans bytes and decodes whole fields only, so a character split between two
 * chunks is never damaged.
 */
import { isUtf8 } from 'node:buffer';
import type { CellValue, SheetRow } from './cells';
import { reject } from './errors';
import type { SpreadsheetLimits } from './limits';

export type CsvDelimiter = ',' | ';' | '\t';

type CsvLimits = Pick<
  SpreadsheetLimits,
  'maxRows' | 'maxColumns' | 'maxCellChars' | 'maxEntryUncompressedBytes'
>;

const QUOTE = 0x22;
const CR = 0x0d;
const LF = 0x0a;
const HEAD_BYTES = 64 * 1024;
const EMPTY = Buffer.alloc(0);

export async function* csvRowBatches(
  source: AsyncIterable<Uint8Array | string>,
  limits: CsvLimits,
  delimiter?: CsvDelimiter,
): AsyncGenerator<SheetRow[]> {
  const iterator = source[Symbol.asyncIterator]();
  let total = 0;
  const nextChunk = async (): Promise<Buffer | undefined> => {
    const { done, value } = await iterator.next();
    if (done) return undefined;
    const bytes = asBytes(value);
    total += bytes.length;
    if (total > limits.maxEntryUncompressedBytes) {
      reject('TOO_LARGE', `The file is larger than ${limits.maxEntryUncompressedBytes} bytes.`, {
        limit: limits.maxEntryUncompressedBytes,
      });
    }
    return bytes;
  };
  try {
    const headChunks: Buffer[] = [];
    let headLength = 0;
    let ended = false;
    while (headLength < HEAD_BYTES) {
      const chunk = await nextChunk();
      if (chunk === undefined) {
        ended = true;
        break;
      }
      headChunks.push(chunk);
      headLength += chunk.length;
    }
    let head: Buffer = Buffer.concat(headChunks);
    const transcode = makeTranscoder(head, ended);
    if (transcode === undefined && head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) {
      head = head.subarray(3);
    }
    const headUtf8 = transcode ? transcode(head, ended) : head;
    const scanner = new CsvScanner(delimiter ?? sniffDelimiter(headUtf8), limits);
    let rows = scanner.feed(headUtf8);
    if (rows.length > 0) yield rows;
    while (!ended) {
      const chunk = await nextChunk();
      if (chunk === undefined) break;
      rows = scanner.feed(transcode ? transcode(chunk, false) : chunk);
      if (rows.length > 0) yield rows;
    }
    if (transcode) {
      rows = scanner.feed(transcode(EMPTY, true));
      if (rows.length > 0) yield rows;
    }
    rows = scanner.finish();
    if (rows.length > 0) yield rows;
    if (scanner.rowCount === 0) reject('EMPTY', 'The file has no data.');
  } finally {
    await iterator.return?.();
  }
}

/** A stream chunk as a Buffer: streams may hand over strings (UTF-8 assumed) as well as bytes. */
export function asBytes(chunk: unknown): Buffer {
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.length);
  throw new TypeError('A spreadsheet source must yield bytes (Uint8Array) or strings.');
}

/** A chunk-wise converter to UTF-8 for UTF-16 and Windows-1250 files; undefined for UTF-8. */
function makeTranscoder(
  head: Buffer,
  ended: boolean,
): ((chunk: Buffer, last: boolean) => Buffer) | undefined {
  let encoding: string | undefined;
  let skip = 0;
  if (head[0] === 0xff && head[1] === 0xfe) [encoding, skip] = ['utf-16le', 2];
  else if (head[0] === 0xfe && head[1] === 0xff) [encoding, skip] = ['utf-16be', 2];
  else if (!isUtf8Start(head, ended)) encoding = 'windows-1250';
  if (encoding === undefined) return undefined;
  const decoder = new TextDecoder(encoding);
  let first = true;
  return (chunk, last) => {
    const bytes = first ? chunk.subarray(skip) : chunk;
    first = false;
    return Buffer.from(decoder.decode(bytes, { stream: !last }), 'utf8');
  };
}

/** Whether `head` is valid UTF-8, ignoring a character cut off at its end. */
function isUtf8Start(head: Buffer, ended: boolean): boolean {
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(head, { stream: !ended });
    return true;
  } catch {
    return false;
  }
}

/** Counts `,` `;` and tab outside quotes in the first 20 lines of `head`. */
export function sniffDelimiter(head: Uint8Array): CsvDelimiter {
  let comma = 0;
  let semicolon = 0;
  let tab = 0;
  let quoted = false;
  let lines = 0;
  for (let i = 0; i < head.length && lines < 20; i++) {
    const b = head[i];
    if (b === QUOTE) quoted = !quoted;
    else if (quoted) continue;
    else if (b === 0x2c) comma++;
    else if (b === 0x3b) semicolon++;
    else if (b === 0x09) tab++;
    else if (b === LF) lines++;
  }
  if (semicolon >= comma && semicolon >= tab && semicolon > 0) return ';';
  if (tab > comma) return '\t';
  return ',';
}

class CsvScanner {
  rowCount = 0;
  private buf: Buffer = EMPTY;
  private pos = 0;
  private final = false;
  private skipLineFeed = false;
  private fields: CellValue[] = [];
  private fieldCount = 0;
  private recordNumber = 0;
  private readonly delimiter: number;
  private readonly maxFieldBytes: number;

  constructor(
    delimiter: CsvDelimiter,
    private readonly limits: CsvLimits,
  ) {
    this.delimiter = delimiter.charCodeAt(0);
    this.maxFieldBytes = limits.maxCellChars * 3 + 16;
  }

  feed(chunk: Buffer): SheetRow[] {
    this.buf = this.pos < this.buf.length ? Buffer.concat([this.buf.subarray(this.pos), chunk]) : chunk;
    this.pos = 0;
    return this.scan([]);
  }

  finish(): SheetRow[] {
    this.final = true;
    const out = this.scan([]);
    if (this.fieldCount > 0) this.endRecord(out);
    return out;
  }

  private scan(out: SheetRow[]): SheetRow[] {
    const { buf, delimiter, final } = this;
    const end = buf.length;
    let p = this.pos;
    while (p < end) {
      if (this.skipLineFeed) {
        this.skipLineFeed = false;
        if (buf[p] === LF) {
          p++;
          continue;
        }
      }
      const start = p;
      let value: string;
      if (buf[p] === QUOTE) {
        let i = p + 1;
        let high = 0;
        let escaped = false;
        for (;;) {
          while (i < end && buf[i] !== QUOTE) high |= buf[i++] as number;
          if (i + 1 >= end && !final) return this.more(start, out);
          if (i >= end) reject('CORRUPT', `A quoted field is never closed (row ${this.recordNumber + 1}).`);
          if (buf[i + 1] !== QUOTE) break;
          escaped = true;
          i += 2;
        }
        let k = i + 1;
        while (k < end && buf[k] !== delimiter && buf[k] !== CR && buf[k] !== LF) high |= buf[k++] as number;
        if (k >= end && !final) return this.more(start, out);
        value = this.decode(p + 1, i, high);
        if (escaped) value = value.replaceAll('""', '"');
        if (k > i + 1) value += this.decode(i + 1, k, high);
        p = k;
      } else {
        let k = p;
        let high = 0;
        while (k < end) {
          const b = buf[k] as number;
          if (b === delimiter || b === CR || b === LF) break;
          high |= b;
          k++;
        }
        if (k >= end && !final) return this.more(start, out);
        value = start === k ? '' : this.decode(start, k, high);
        p = k;
      }
      this.pushField(value);
      if (p >= end) break; // final: the record ends with the file
      const terminator = buf[p++];
      if (terminator === delimiter) {
        if (p >= end && final) this.pushField('');
        continue;
      }
      this.endRecord(out);
      if (terminator === CR) {
        if (p < end) {
          if (buf[p] === LF) p++;
        } else this.skipLineFeed = true;
      }
    }
    this.pos = p;
    return out;
  }

  private more(start: number, out: SheetRow[]): SheetRow[] {
    if (this.buf.length - start > this.maxFieldBytes) this.tooLong(this.buf.length - start);
    this.pos = start;
    return out;
  }

  private decode(start: number, end: number, high: number): string {
    const { buf } = this;
    if (high < 0x80) return buf.toString('latin1', start, end);
    const text = buf.toString('utf8', start, end);
    if (text.includes('\uFFFD') && !isUtf8(buf.subarray(start, end))) {
      reject(
        'CORRUPT',
        `The file is not valid UTF-8 (row ${this.recordNumber + 1}); save it as "CSV UTF-8".`,
        {
          rowNumber: this.recordNumber + 1,
        },
      );
    }
    return text;
  }

  private pushField(value: string): void {
    const index = this.fieldCount++;
    if (value === '') return;
    if (value.length > this.limits.maxCellChars) this.tooLong(value.length);
    if (index >= this.limits.maxColumns) {
      reject('TOO_MANY_COLUMNS', `The file has values beyond column ${this.limits.maxColumns}.`, {
        limit: this.limits.maxColumns,
        rowNumber: this.recordNumber + 1,
      });
    }
    const { fields } = this;
    while (fields.length < index) fields.push(null);
    fields.push(value);
  }

  private endRecord(out: SheetRow[]): void {
    const rowNumber = ++this.recordNumber;
    const cells = this.fields;
    this.fields = [];
    this.fieldCount = 0;
    if (cells.length === 0) return;
    if (++this.rowCount > this.limits.maxRows) {
      reject('TOO_MANY_ROWS', `The file has more than ${this.limits.maxRows} rows.`, {
        limit: this.limits.maxRows,
        rowNumber,
      });
    }
    out.push({ rowNumber, cells });
  }

  private tooLong(actual: number): never {
    return reject('CELL_TOO_LONG', `A field is longer than ${this.limits.maxCellChars} characters.`, {
      limit: this.limits.maxCellChars,
      actual,
      rowNumber: this.recordNumber + 1,
    });
  }
}
