import {
  EXPORT_RECORD_DAYS,
  exportSlot,
  joinsExisting,
  type ResultsExport,
  type ResultsExportFormat,
  XLSX_SHEET_MAX_ROWS,
} from '#domain/batch/results-export';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import type { ExportQueue, ResultsExportRepository } from '#ports/results-exports';
import { DOWNLOAD_URL_SECONDS } from './export-results';

export interface RequestExportDeps {
  readonly batches: Pick<BatchRepository, 'get'>;
  readonly exports: ResultsExportRepository;
  readonly queue: ExportQueue;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/** Tries at taking a dedup slot that concurrent requests keep changing (then a 409). */
const SLOT_ATTEMPTS = 3;

/**
 * Starts (or joins) an asynchronous export of the caller's batch's results.
 * 1. The batch must be the caller's (else 404) and analysed (else 409 `BATCH_NOT_READY`); xlsx holds at
 *    most `XLSX_SHEET_MAX_ROWS` rows (else 400: ask for CSV).
 * 2. Take the request's dedup slot (per batch, format and Idempotency-Key): a free slot gets a new
 *    `pending` export, queued for `run-results-export`. A taken slot answers its export when the
 *    request joins it (same Idempotency-Key; without one, an unfinished export), else a new export
 *    replaces it in the slot (a finished one: the results may have moved on since).
 */
export async function requestResultsExport(
  deps: RequestExportDeps,
  caller: { accountId: string },
  input: { batchId: string; format: ResultsExportFormat; idempotencyKey?: string },
): Promise<{ export: ResultsExport; created: boolean }> {
  const batch = await deps.batches.get(caller.accountId, input.batchId);
  if (!batch) throw new NotFound('Batch not found');
  if (batch.status === 'analysing' || !batch.summary) {
    throw new Conflict('BATCH_NOT_READY', `A ${batch.status} batch has no analysed rows to export`);
  }
  if (input.format === 'xlsx' && batch.summary.rows > XLSX_SHEET_MAX_ROWS) {
    throw new ValidationFailed(
      `An xlsx sheet holds at most ${XLSX_SHEET_MAX_ROWS} rows: ask for format csv`,
      {
        details: { rows: batch.summary.rows, limit: XLSX_SHEET_MAX_ROWS },
      },
    );
  }
  const slot = exportSlot(input.format, input.idempotencyKey);
  let replacing: string | undefined;
  for (let attempt = 0; attempt < SLOT_ATTEMPTS; attempt++) {
    const now = deps.clock.now();
    const record: ResultsExport = {
      id: deps.ids.newId(),
      accountId: caller.accountId,
      batchId: batch.id,
      format: input.format,
      status: 'pending',
      ...(input.idempotencyKey === undefined ? {} : { idempotencyKey: input.idempotencyKey }),
      createdAt: now.toISOString(),
      updatedAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + EXPORT_RECORD_DAYS * 86_400_000).toISOString(),
    };
    if (await deps.exports.create(record, slot, replacing)) {
      await enqueue(deps, record);
      return { export: record, created: true };
    }
    replacing = await deps.exports.slot(caller.accountId, batch.id, slot);
    const existing = replacing && (await deps.exports.get(caller.accountId, batch.id, replacing));
    if (existing && joinsExisting(existing, input.idempotencyKey !== undefined, now)) {
      return { export: existing, created: false };
    }
  }
  throw new Conflict('EXPORT_BUSY', 'Concurrent export requests for this batch: try again');
}

/** A queue failure fails the export too: left `pending`, it would be joined by every retry. */
async function enqueue(deps: RequestExportDeps, record: ResultsExport): Promise<void> {
  try {
    await deps.queue.enqueue({ accountId: record.accountId, batchId: record.batchId, exportId: record.id });
  } catch (error) {
    await deps.exports.update(
      { accountId: record.accountId, batchId: record.batchId, exportId: record.id },
      { status: 'failed', reason: 'NOT_QUEUED', updatedAt: deps.clock.now().toISOString() },
      ['pending'],
    );
    throw error;
  }
}

export interface ExportView {
  readonly export: ResultsExport;
  /** When ready: a presigned GET of the file, valid `DOWNLOAD_URL_SECONDS`. */
  readonly download?: { readonly url: string; readonly expiresAt: string };
}

/** One of the caller's exports (404 for another account's, or an expired one), with its download link. */
export async function getResultsExport(
  deps: { exports: ResultsExportRepository; files: Pick<ObjectStore, 'presignGet'>; clock: Clock },
  caller: { accountId: string },
  input: { batchId: string; exportId: string },
): Promise<ExportView> {
  const found = await deps.exports.get(caller.accountId, input.batchId, input.exportId);
  if (!found) throw new NotFound('Export not found');
  if (found.status !== 'ready' || !found.fileKey) return { export: found };
  const url = await deps.files.presignGet(found.fileKey, DOWNLOAD_URL_SECONDS);
  const expiresAt = new Date(deps.clock.now().getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
  return { export: found, download: { url, expiresAt } };
}
