import { plainDecimal } from '#domain/message/template';
import type { ObjectStore } from '#ports/object-store';
import type { CellValue, OpenSpreadsheet, SheetRow } from '#ports/spreadsheet';

/**
 * The parse → chunks-in-S3 machinery shared by every import from an uploaded file (batch recipients,
 * contact groups): rows are read in batches from the spreadsheet reader and written as JSON lines,
 * 1 000 rows per chunk, so a Map state can handle the chunks in parallel whatever the file's size.
 */

/** Rows per chunk: one Lambda handles a chunk in a second or two; 1M rows make 1 000 chunks. */
export const CHUNK_ROWS = 1_000;

/** "A" → 0, "AB" → 27: columns as Excel shows them. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

/** The column letters Excel shows for a 0-based index (0 → "A", 27 → "AB"). */
export function columnLetters(index: number): string {
  let n = index + 1;
  let letters = '';
  while (n > 0) {
    const rest = (n - 1) % 26;
    letters = String.fromCharCode(65 + rest) + letters;
    n = Math.floor((n - 1) / 26);
  }
  return letters;
}

/** A cell as text (numbers in plain decimal, dates as ISO days); undefined when empty. */
export function cellText(value: CellValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return plainDecimal(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const text = String(value);
  return text === '' ? undefined : text;
}

/**
 * Streams the data rows of one sheet of an uploaded file, from `firstRow` on. `start` is called once,
 * before the first data row, with the header cells (the row above `firstRow`, if any) and returns the
 * per-row step.
 */
export async function forEachDataRow(
  deps: { readonly files: ObjectStore; readonly openSpreadsheet: OpenSpreadsheet },
  source: { readonly key: string; readonly sheet?: string | number; readonly firstRow: number },
  start: (headers: string[]) => (row: SheetRow) => Promise<void>,
): Promise<void> {
  const book = await deps.openSpreadsheet(await deps.files.read(source.key));
  const rows = book.rowBatches(source.sheet === undefined ? {} : { sheet: source.sheet });
  let headers: string[] = [];
  let step: ((row: SheetRow) => Promise<void>) | undefined;
  for await (const batch of rows) {
    for (const row of batch) {
      if (row.rowNumber === source.firstRow - 1) headers = row.cells.map((c) => cellText(c) ?? '');
      if (row.rowNumber < source.firstRow) continue;
      step ??= start(headers);
      await step(row);
    }
  }
}

/** A parsed row as chunks carry it: counted by status, invalid ones by reason. */
export interface ChunkRow {
  readonly status: string;
  readonly reason?: string;
}

/** Writes rows as JSON-lines chunks of {@link CHUNK_ROWS} under `keyOf(index)`, counting as it goes. */
export class ChunkWriter<R extends ChunkRow> {
  readonly chunks: { index: number; key: string }[] = [];
  readonly reasons: Record<string, number> = {};
  rows = 0;
  invalid = 0;
  duplicates = 0;
  private lines: string[] = [];

  constructor(
    private readonly files: ObjectStore,
    private readonly keyOf: (index: number) => string,
  ) {}

  async add(row: R) {
    this.rows++;
    if (row.status === 'invalid') {
      this.invalid++;
      const reason = row.reason ?? 'INVALID';
      this.reasons[reason] = (this.reasons[reason] ?? 0) + 1;
    }
    if (row.status === 'duplicate') this.duplicates++;
    this.lines.push(JSON.stringify(row));
    if (this.lines.length >= CHUNK_ROWS) await this.flush();
  }

  async flush() {
    if (this.lines.length === 0) return;
    const index = this.chunks.length;
    const key = this.keyOf(index);
    await this.files.write(key, `${this.lines.join('\n')}\n`, 'application/x-ndjson');
    this.chunks.push({ index, key });
    this.lines = [];
  }

  /** What the workflow's parse step answers: the chunks and the counts. */
  result() {
    return {
      chunks: this.chunks,
      rows: this.rows,
      invalid: this.invalid,
      duplicates: this.duplicates,
      reasons: this.reasons,
    };
  }
}

/** A chunk's rows back from JSON lines. */
export function readChunkRows<R>(bytes: Uint8Array): R[] {
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as R);
}
