import type { ResultsExport } from '#domain/batch/results-export';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { MessageRepository } from '#ports/message-repository';
import type { ObjectStore } from '#ports/object-store';
import type { ExportJob, ResultsExportRepository } from '#ports/results-exports';
import type {
  SpreadsheetCell,
  SpreadsheetFormat,
  StreamingSpreadsheetWriter,
} from '#ports/spreadsheet-writer';
import { objectKeys } from '#topology/workflows';
import { batchResultRows, RESULT_COLUMNS, resultCells } from './export-results';

export interface RunExportDeps {
  readonly batches: Pick<BatchRepository, 'get' | 'chunkKeys'>;
  readonly messages: Pick<MessageRepository, 'getMany'>;
  readonly files: ObjectStore;
  readonly exports: ResultsExportRepository;
  readonly writers: Readonly<Record<SpreadsheetFormat, StreamingSpreadsheetWriter>>;
  readonly clock: Clock;
}

/** Where an export's file lives: under its batch's prefix, so it expires with the batch's files. */
export function exportFileKey(e: Pick<ResultsExport, 'accountId' | 'batchId' | 'id' | 'format'>): string {
  return `${objectKeys.batchPrefix(e.accountId, e.batchId)}exports/${e.id}.${e.format}`;
}

export type RunExportOutcome = 'ready' | 'failed' | 'skipped';

/**
 * Writes one export (a queue job), off the request path.
 * 1. A job whose export is gone or finished is a duplicate delivery: skipped. Otherwise it is `running`
 *    (again, after a crash: the file is written anew).
 * 2. Stream the batch's rows in file order (`batchResultRows`: chunk read-ahead, message states) through
 *    the same cells as the synchronous download (`resultCells`, formula-guarded by the writer) into a
 *    multipart upload: memory stays at about one part, whatever the batch's size.
 * 3. Ready with the file's key, rows and size. A failure aborts the upload and is thrown for the queue
 *    to retry; on the `lastAttempt` it marks the export `failed` instead.
 */
export async function runResultsExport(
  deps: RunExportDeps,
  job: ExportJob,
  options: { lastAttempt: boolean },
): Promise<RunExportOutcome> {
  const key = job;
  const found = await deps.exports.get(job.accountId, job.batchId, job.exportId);
  if (!found || found.status === 'ready' || found.status === 'failed') return 'skipped';
  const now = () => deps.clock.now().toISOString();
  const fail = async (reason: string): Promise<RunExportOutcome> => {
    await deps.exports.update(key, { status: 'failed', reason, updatedAt: now() }, ['pending', 'running']);
    return 'failed';
  };
  if (!(await deps.exports.update(key, { status: 'running', updatedAt: now() }, ['pending', 'running']))) {
    return 'skipped';
  }
  const batch = await deps.batches.get(job.accountId, job.batchId);
  if (!batch?.summary) return fail('BATCH_NOT_FOUND');

  const writer = deps.writers[found.format];
  const fileKey = exportFileKey(found);
  const upload = await deps.files.upload(fileKey, writer.contentType);
  let rows = 0;
  const cells = async function* (): AsyncGenerator<SpreadsheetCell[]> {
    for await (const row of batchResultRows(deps, batch)) {
      rows++;
      yield resultCells(row);
    }
  };
  let bytes: number;
  try {
    await writer.writeTo(RESULT_COLUMNS, cells(), upload);
    bytes = await upload.complete();
  } catch (error) {
    await upload.abort().catch(() => {}); // the bucket's lifecycle rule aborts what this could not
    if (options.lastAttempt) return fail('EXPORT_FAILED');
    throw error;
  }
  const ready = await deps.exports.update(key, { status: 'ready', fileKey, rows, bytes, updatedAt: now() }, [
    'running',
  ]);
  return ready ? 'ready' : 'skipped';
}
