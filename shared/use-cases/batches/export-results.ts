import type { Batch, BatchRow, BatchStatus } from '#domain/batch/batch';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import type { MessageStatus } from '#domain/message/message';
import { formatMoney } from '#domain/money';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { MessageRepository } from '#ports/message-repository';
import type { ObjectStore } from '#ports/object-store';
import type {
  SpreadsheetCell,
  SpreadsheetColumn,
  SpreadsheetFormat,
  SpreadsheetWriter,
} from '#ports/spreadsheet-writer';
import { objectKeys } from '#topology/workflows';
import { batchMessageId } from './send-batch';

export interface ExportResultsDeps {
  readonly batches: Pick<BatchRepository, 'get' | 'chunkKeys'>;
  readonly messages: Pick<MessageRepository, 'getMany'>;
  readonly files: ObjectStore;
  readonly writers: Readonly<Record<SpreadsheetFormat, SpreadsheetWriter>>;
  readonly clock: Clock;
  /** @default INLINE_MAX_BYTES */
  readonly inlineMaxBytes?: number;
}

/**
 * Largest file answered inline. A synchronous Lambda response (hence an API Gateway answer) is at most
 * 6 MB (6,291,456 bytes) and the file travels base64-encoded (4/3 of its size): 4 MiB becomes
 * 5,592,408 bytes, leaving room for the headers. Anything larger goes through S3 and a presigned URL.
 */
export const INLINE_MAX_BYTES = 4 * 1024 * 1024;
/**
 * Largest batch exported as xlsx. exceljs streams about 25,000 rows/s on one core (measured: 200,000
 * rows in 8 s), and API Gateway gives up on a Lambda after 30 s: past this, the error points to the
 * asynchronous export (`POST /v1/batches/{id}/exports`, results-exports.ts) or to CSV, rather than time out.
 */
export const XLSX_MAX_ROWS = 200_000;
/** How long the presigned download URL of a large result is valid. */
export const DOWNLOAD_URL_SECONDS = 15 * 60;
/** Ready chunks (and their messages) read ahead of the writer, in file order. */
const CHUNKS_AHEAD = 4;
/** Batches that never sent anything: no message reads. */
const NEVER_SENT: ReadonlySet<BatchStatus> = new Set(['ready', 'scheduled', 'cancelled']);

/** One row of the results: the analysed row, and for a row that was sent, its message's state. */
export interface ResultRow extends BatchRow {
  readonly message?: { readonly id: string; readonly status: MessageStatus; readonly at: string };
}

/** The columns of the results file, in order (`resultCells` gives a row's cells). */
export const RESULT_COLUMNS: readonly SpreadsheetColumn[] = [
  { header: 'row', kind: 'number', width: 8 },
  { header: 'to (digits)', kind: 'phone', width: 16 },
  { header: 'text', kind: 'text', width: 60 },
  { header: 'encoding', kind: 'text', width: 10 },
  { header: 'parts', kind: 'number', width: 7 },
  { header: 'cost', kind: 'text', width: 10 },
  { header: 'analysis', kind: 'text', width: 12 },
  { header: 'reason', kind: 'text', width: 26 },
  { header: 'status', kind: 'text', width: 12 },
  { header: 'status at', kind: 'text', width: 26 },
  { header: 'message id', kind: 'text', width: 34 },
  // Last, so the columns above keep their places for existing readers of the file.
  { header: 'from', kind: 'text', width: 12 },
  { header: 'client reference', kind: 'text', width: 20 },
];

export function resultCells(r: ResultRow): SpreadsheetCell[] {
  return [
    r.row,
    r.to,
    r.text,
    r.encoding,
    r.parts,
    r.cost === undefined ? undefined : formatMoney(r.cost),
    r.status,
    r.reason,
    r.message?.status,
    r.message?.at,
    r.message?.id,
    r.from,
    r.clientReference,
  ];
}

export type ExportedResults =
  | { kind: 'inline'; fileName: string; contentType: string; body: Uint8Array }
  | { kind: 'link'; fileName: string; url: string; expiresAt: string };

/**
 * The per-row results of one of the caller's batches, as a file.
 * 1. The batch must be the caller's (else 404) and analysed (else 409 `BATCH_NOT_READY`); an xlsx
 *    export is limited to `XLSX_MAX_ROWS` rows (else 400: CSV has no such limit).
 * 2. Assemble the rows in file order (`batchResultRows`) and write them in the asked format.
 * 3. A file up to `INLINE_MAX_BYTES` is answered inline; a larger one is stored under the batch's
 *    prefix (`results.<ext>`, replaced on every export) and answered as a presigned GET URL.
 */
export async function exportBatchResults(
  deps: ExportResultsDeps,
  caller: { accountId: string },
  input: { batchId: string; format: SpreadsheetFormat },
): Promise<ExportedResults> {
  const batch = await deps.batches.get(caller.accountId, input.batchId);
  if (!batch) throw new NotFound('Batch not found');
  if (batch.status === 'analysing' || !batch.summary) {
    throw new Conflict('BATCH_NOT_READY', `A ${batch.status} batch has no analysed rows to export`);
  }
  if (input.format === 'xlsx' && batch.summary.rows > XLSX_MAX_ROWS) {
    throw new ValidationFailed(
      `This download holds at most ${XLSX_MAX_ROWS} xlsx rows: request an export with ` +
        `POST /v1/batches/${batch.id}/exports { "format": "xlsx" } (any size, written in the background), ` +
        'or ask for format=csv',
      {
        details: {
          rows: batch.summary.rows,
          limit: XLSX_MAX_ROWS,
          exports: `/v1/batches/${batch.id}/exports`,
        },
      },
    );
  }
  const writer = deps.writers[input.format];
  const body = await writer.write(RESULT_COLUMNS, cellsOf(batchResultRows(deps, batch)), {
    expectedRows: batch.summary.rows,
  });
  const fileName = `${batch.name}-results.${input.format}`;
  if (body.byteLength <= (deps.inlineMaxBytes ?? INLINE_MAX_BYTES)) {
    return { kind: 'inline', fileName, contentType: writer.contentType, body };
  }
  const key = `${objectKeys.batchPrefix(batch.accountId, batch.id)}results.${input.format}`;
  await deps.files.write(key, body, writer.contentType);
  const url = await deps.files.presignGet(key, DOWNLOAD_URL_SECONDS);
  const expiresAt = new Date(deps.clock.now().getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
  return { kind: 'link', fileName, url, expiresAt };
}

/**
 * The batch's rows in file order: each ready chunk's analysed rows, joined with the messages of its
 * `ok` rows (ids `batchMessageId(batchId, row)`, read many at a time). A few chunks are read ahead.
 */
export async function* batchResultRows(
  deps: Pick<ExportResultsDeps, 'batches' | 'messages' | 'files'>,
  batch: Batch,
): AsyncGenerator<ResultRow> {
  const keys = await deps.batches.chunkKeys(batch.accountId, batch.id);
  const withMessages = !NEVER_SENT.has(batch.status);
  const ahead: Promise<ResultRow[]>[] = [];
  let next = 0;
  const fill = () => {
    while (ahead.length < CHUNKS_AHEAD && next < keys.length) {
      const loading = loadChunk(deps, batch, keys[next++] ?? '', withMessages);
      loading.catch(() => {}); // awaited in order below; not an unhandled rejection meanwhile
      ahead.push(loading);
    }
  };
  fill();
  for (let loading = ahead.shift(); loading; loading = ahead.shift()) {
    const rows = await loading;
    fill();
    yield* rows;
  }
}

async function loadChunk(
  deps: Pick<ExportResultsDeps, 'messages' | 'files'>,
  batch: Batch,
  key: string,
  withMessages: boolean,
): Promise<ResultRow[]> {
  const rows = new TextDecoder()
    .decode(await deps.files.read(key))
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BatchRow)
    // A row keeps its own sender only when it differs from the batch's: the file shows the sender used.
    .map((row) =>
      row.status === 'ok' && row.from === undefined ? { ...row, from: batch.options.from } : row,
    );
  if (!withMessages) return rows;
  const ids = rows.filter((r) => r.status === 'ok').map((r) => batchMessageId(batch.id, r.row));
  const messages = new Map(
    (await deps.messages.getMany(batch.accountId, ids)).map((m) => [m.id, m] as const),
  );
  return rows.map((row) => {
    const message = row.status === 'ok' ? messages.get(batchMessageId(batch.id, row.row)) : undefined;
    if (!message) return row;
    const at =
      message.events.findLast((e) => e.status === message.status)?.at ??
      message.events.at(-1)?.at ??
      message.createdAt;
    return { ...row, message: { id: message.id, status: message.status, at } };
  });
}

async function* cellsOf(rows: AsyncIterable<ResultRow>): AsyncGenerator<SpreadsheetCell[]> {
  for await (const row of rows) yield resultCells(row);
}
