import type { Account } from '#domain/account/account';
import type { Batch, BatchRow } from '#domain/batch/batch';
import { compileTemplate, plainDecimal } from '#domain/message/template';
import { makePhoneNumberNormaliser } from '#domain/phone/phone-number';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';
import type { CellValue, OpenSpreadsheet, SheetRow } from '#ports/spreadsheet';
import { objectKeys } from '#topology/workflows';

/** Rows per chunk: one Lambda handles a chunk in a second or two; 1M rows make 1 000 chunks. */
export const CHUNK_ROWS = 1_000;

export interface ParseDeps {
  readonly batches: BatchRepository;
  readonly accounts: AccountRepository;
  readonly files: ObjectStore;
  readonly openSpreadsheet: OpenSpreadsheet;
}

/** Thrown for a file or mapping the batch cannot be made from; the workflow fails the batch with it. */
export class BatchFileRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BatchFileRejected';
  }
}

export function columnNumber(letters: string): number {
  let n = 0;
  for (const c of letters.toUpperCase()) n = n * 26 + (c.charCodeAt(0) - 64);
  return n - 1;
}

function cellText(value: CellValue | undefined): string | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'number') return plainDecimal(value);
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  const text = String(value);
  return text === '' ? undefined : text;
}

/**
 * First step of the analysis: the file becomes chunks of rows in S3.
 * 1. Read the chosen sheet from the row above `firstRow` (its headers name the `#placeholders`).
 * 2. Per row: normalise the number (the account's country, mobile only), drop duplicates across the whole
 *    file, render the text (message column or template). Invalid rows keep their reason and row number.
 * 3. Write chunks of 1 000 rows (JSON lines) under the batch's prefix; answer their keys and counts.
 */
export async function parseBatchFile(deps: ParseDeps, input: { accountId: string; batchId: string }) {
  const batch = await deps.batches.get(input.accountId, input.batchId);
  if (!batch) throw new BatchFileRejected('BATCH_NOT_FOUND', 'The batch no longer exists');
  const [upload, account] = await Promise.all([
    deps.batches.getUpload(batch.accountId, batch.uploadId),
    deps.accounts.get(batch.accountId),
  ]);
  if (!upload || !account) throw new BatchFileRejected('UPLOAD_NOT_FOUND', 'The upload no longer exists');
  const book = await deps.openSpreadsheet(await deps.files.read(upload.key));
  const rows = book.rowBatches({
    ...(batch.mapping.sheet === undefined ? {} : { sheet: batch.mapping.sheet }),
  });
  const writer = new ChunkWriter(deps.files, batch);
  let headers: string[] = [];
  let process: ((row: SheetRow) => BatchRow) | undefined;
  for await (const chunk of rows) {
    for (const row of chunk) {
      if (row.rowNumber === batch.mapping.firstRow - 1) headers = row.cells.map((c) => cellText(c) ?? '');
      if (row.rowNumber < batch.mapping.firstRow) continue;
      process ??= rowProcessor(batch, account, headers);
      await writer.add(process(row));
    }
  }
  await writer.flush();
  if (writer.rows === 0) throw new BatchFileRejected('EMPTY', 'No data rows from the first data row on');
  return {
    chunks: writer.chunks,
    rows: writer.rows,
    invalid: writer.invalid,
    duplicates: writer.duplicates,
    reasons: writer.reasons,
  };
}

/** The per-row step: number, duplicates, text. `headers` are the cells of the row above `firstRow`. */
function rowProcessor(batch: Batch, account: Account, headers: readonly string[]) {
  const { mapping, options } = batch;
  const phone = columnNumber(mapping.phoneColumn);
  const normalise = makePhoneNumberNormaliser({ defaultCountry: account.country, requireMobile: true });
  const seen = new Set<string>();
  let render: (cells: readonly CellValue[]) => { ok: true; text: string } | { ok: false; reason: string };
  if (mapping.messageColumn !== undefined) {
    const column = columnNumber(mapping.messageColumn);
    render = (cells) => {
      const text = cellText(cells[column]);
      return text === undefined ? { ok: false, reason: 'EMPTY_TEXT' } : { ok: true, text };
    };
  } else {
    const template = compileTemplate(mapping.text ?? '', headers);
    if (!template.ok) {
      throw new BatchFileRejected(
        template.code,
        `Placeholders not among the headers: ${template.names.join(', ')}`,
      );
    }
    render = (cells) => {
      // A Map-like null-prototype record: headers such as __proto__ are plain keys here.
      const row: Record<string, string | undefined> = Object.create(null);
      headers.forEach((header, i) => {
        row[header] = cellText(cells[i]);
      });
      const result = template.render(row, { missing: options.missingValues });
      return result.ok ? { ok: true, text: result.text } : { ok: false, reason: 'MISSING_VALUES' };
    };
  }
  return (row: SheetRow): BatchRow => {
    const raw = row.cells[phone];
    const number = normalise(
      typeof raw === 'number' || typeof raw === 'string' ? raw : (cellText(raw) ?? null),
    );
    if (!number.ok)
      return { row: row.rowNumber, status: 'invalid', reason: `INVALID_NUMBER:${number.reason}` };
    if (options.dedup && seen.has(number.e164))
      return { row: row.rowNumber, to: number.e164, status: 'duplicate' };
    seen.add(number.e164);
    const text = render(row.cells);
    if (!text.ok) return { row: row.rowNumber, to: number.e164, status: 'invalid', reason: text.reason };
    return { row: row.rowNumber, to: number.e164, text: text.text, status: 'ok' };
  };
}

class ChunkWriter {
  readonly chunks: { index: number; key: string }[] = [];
  readonly reasons: Record<string, number> = {};
  rows = 0;
  invalid = 0;
  duplicates = 0;
  private lines: string[] = [];

  constructor(
    private readonly files: ObjectStore,
    private readonly batch: Batch,
  ) {}

  async add(row: BatchRow) {
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
    const key = objectKeys.chunk(this.batch.accountId, this.batch.id, 'parsed', index);
    await this.files.write(key, `${this.lines.join('\n')}\n`, 'application/x-ndjson');
    this.chunks.push({ index, key });
    this.lines = [];
  }
}
