import type {
  ByteSink,
  SpreadsheetCell,
  SpreadsheetColumn,
  SpreadsheetColumnKind,
  SpreadsheetWriter,
  StreamingSpreadsheetWriter,
} from '#ports/spreadsheet-writer';
import { guardText, safeCell } from './formula-guard';

/** UTF-8 byte order mark: without it Excel on Windows reads the file as ANSI and garbles diacritics. */
const BOM = '\uFEFF';
const EOL = '\r\n';
/** RFC 4180: a field holding a comma, a double quote, CR or LF is enclosed in double quotes. */
const NEEDS_QUOTES = /[",\r\n]/;
/** Text is encoded in slices of about this many UTF-16 units (bounded intermediate strings). */
const SLICE_CHARS = 1 << 16;

/** One field per RFC 4180: quoted when needed, double quotes doubled. */
export function csvField(text: string): string {
  return NEEDS_QUOTES.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
}

/** One cell: made safe first (formula guard, phone rule), then quoted. */
export function csvCell(kind: SpreadsheetColumnKind, value: SpreadsheetCell): string {
  const safe = safeCell(kind, value);
  return safe === undefined ? '' : csvField(String(safe));
}

/**
 * CSV as Excel opens it without an import wizard: UTF-8 with a BOM, comma separated, CRLF line ends
 * (after the last record too), a header row, every field guarded against formula injection. Whole
 * (`write`) or streamed into a sink in slices of about 64K characters (`writeTo`).
 */
export const csvWriter: SpreadsheetWriter & StreamingSpreadsheetWriter = {
  format: 'csv',
  contentType: 'text/csv; charset=utf-8',
  async write(columns, rows) {
    const parts: Uint8Array[] = [];
    await writeCsv(columns, rows, { write: async (part) => void parts.push(part) });
    return concat(parts);
  },
  writeTo: (columns, rows, sink) => writeCsv(columns, rows, sink),
};

async function writeCsv(
  columns: readonly SpreadsheetColumn[],
  rows: AsyncIterable<readonly SpreadsheetCell[]>,
  sink: ByteSink,
): Promise<void> {
  const encoder = new TextEncoder();
  let pending = `${BOM}${columns.map((c) => csvField(guardText(c.header))).join(',')}${EOL}`;
  for await (const row of rows) {
    pending += `${columns.map((column, i) => csvCell(column.kind, row[i])).join(',')}${EOL}`;
    if (pending.length >= SLICE_CHARS) {
      await sink.write(encoder.encode(pending));
      pending = '';
    }
  }
  await sink.write(encoder.encode(pending));
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
