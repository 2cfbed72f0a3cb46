import { DEFAULT_SPREADSHEET_LIMITS } from '#adapters/spreadsheet/limits';
import { openZip, readEntry } from '#adapters/spreadsheet/zip-reader';
import type { Batch } from '#domain/batch/batch';
import { zonedWallTimeToUtc } from '#domain/time/zoned-time';
import { getBatch, startBatch, stopBatch } from '#use-cases/batches/manage-batches';
import type { UploadKind } from '#use-cases/batches/uploads';
import { createBatchFromFile } from '#use-cases/sendsms/create-file-batch';
import { type Action, amount, optional, required } from './context';
import { answer, InvalidParameter, MissingParameter, SENDSMS_STATUS } from './response';

/**
 * `batch_create(name, data, throughput?, filter?, file_type?, start_time?)`: `data` is the file (a form
 * field holding CSV text, a file part, or base64 of a zip holding one CSV/XLSX/XLS); `throughput` 0–100
 * messages/s; `start_time` "YYYY-mm-dd HH:ii:ss" in the account's time zone starts it on its own (a past
 * time: as soon as it is analysed), else `batch_start` does. `filter` ("filter this batch against the
 * global blocklist") is accepted and changes nothing: the platform's list always applies, and so does
 * the account's own — the Laravel package sends `filter=false` by default (sendsms-laravel
 * `Batch::batch_create`), and honouring it would send to numbers that unsubscribed (GDPR links put
 * them on the account's list). The file's columns: `createBatchFromFile`. `details` is the batch id.
 */
export const batchCreate: Action = async ({ deps, caller, params, files }) => {
  const name = required(params, 'name').trim().slice(0, 200);
  const fileType = (optional(params, 'file_type') ?? 'csv').trim().toLowerCase().replace(/^\./, '');
  const raw =
    files.data ??
    (params.data === undefined || params.data === '' ? undefined : Buffer.from(params.data, 'utf8'));
  if (!raw) throw new MissingParameter('data');
  const throughput = Number(optional(params, 'throughput') ?? '0');
  if (!Number.isInteger(throughput) || throughput < 0 || throughput > 100) {
    throw new InvalidParameter('throughput must be a whole number from 0 to 100');
  }
  const startTime = optional(params, 'start_time');
  const startAt =
    startTime === undefined ? undefined : zonedWallTimeToUtc(startTime, caller.account.timezone);
  if (startTime !== undefined && !startAt)
    throw new InvalidParameter('start_time must be "YYYY-mm-dd HH:ii:ss"');
  const batch = await createBatchFromFile(deps, caller, {
    name,
    file: await batchFile(fileType, raw, files.data !== undefined),
    speed: throughput,
    ...(startAt ? { startAt } : {}),
  });
  return answer(SENDSMS_STATUS.ok, 'OK', batch.id);
};

/**
 * The file's bytes and format. `file_type` says csv, xls, xlsx or zip, but plugins send `xls` for xlsx
 * files and the reverse, so a workbook is told apart by its bytes whatever the type.
 */
async function batchFile(fileType: string, raw: Uint8Array, isFilePart: boolean) {
  if (fileType === 'zip') {
    const bytes = isFilePart ? raw : Buffer.from(Buffer.from(raw).toString('latin1').trim(), 'base64');
    const archive = openZip(bytes, DEFAULT_SPREADSHEET_LIMITS);
    const entry = archive.entries.find(
      (e) => /\.(csv|xlsx|xls)$/i.test(e.name) && !e.name.startsWith('__MACOSX'),
    );
    if (!entry) throw new InvalidParameter('The zip holds no .csv, .xlsx or .xls file');
    const inner = await readEntry(archive, entry, DEFAULT_SPREADSHEET_LIMITS.maxEntryUncompressedBytes);
    return { bytes: new Uint8Array(inner), format: formatOf(inner) };
  }
  if (!['csv', 'xls', 'xlsx'].includes(fileType))
    throw new InvalidParameter('file_type must be csv, xls, xlsx or zip');
  return { bytes: raw, format: formatOf(raw) };
}

const startsWith = (bytes: Uint8Array, magic: readonly number[]) => magic.every((b, i) => bytes[i] === b);

/** xlsx is a zip ("PK\x03\x04"), xls an OLE compound file; anything else is read as CSV text. */
function formatOf(bytes: Uint8Array): UploadKind {
  if (startsWith(bytes, [0x50, 0x4b, 3, 4])) return 'xlsx';
  if (startsWith(bytes, [0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1])) return 'xls';
  return 'csv';
}

const batchId = (params: Readonly<Record<string, string>>) => required(params, 'batch_id').trim();

/** `batch_start(batch_id)`: confirms an analysed batch (reserves its cost; -64 when short). */
export const batchStart: Action = async ({ deps, caller, params }) => {
  const batch = await startBatch(deps, caller, batchId(params));
  return answer(SENDSMS_STATUS.ok, 'OK', batchDetails(batch));
};

/** `batch_stop(batch_id)`: stops a running batch; what was not sent is refunded. */
export const batchStop: Action = async ({ deps, caller, params }) => {
  const batch = await stopBatch(deps, caller, batchId(params));
  return answer(SENDSMS_STATUS.ok, 'OK', batchDetails(batch));
};

/** `batch_check_status(batch_id)`: status, the analysis summary and the sending progress. */
export const batchCheckStatus: Action = async ({ deps, caller, params }) =>
  answer(SENDSMS_STATUS.ok, 'OK', batchDetails(await getBatch(deps, caller, batchId(params))));

/** `batches_list`: the account's batches, newest first (`details[0].id` is the latest). */
export const batchesList: Action = async ({ deps, caller }) => {
  const page = await deps.batches.list(caller.accountId, { limit: 100 });
  return answer(SENDSMS_STATUS.ok, 'OK', page.items.map(batchDetails));
};

function batchDetails(batch: Batch) {
  const { summary, progress } = batch;
  return {
    id: batch.id,
    name: batch.name,
    status: batch.status,
    ...(batch.reason === undefined ? {} : { reason: batch.reason }),
    created: batch.createdAt,
    start_time: batch.options.startAt ?? null,
    throughput: batch.options.speed,
    total: summary?.rows ?? null,
    valid: summary?.valid ?? null,
    invalid: summary?.invalid ?? null,
    blocklisted: summary?.blocklisted ?? null,
    messages: summary?.messages ?? null,
    parts: summary?.parts ?? null,
    cost: summary ? amount(summary.cost) : null,
    queued: progress.queued,
    sent: progress.sent,
    delivered: progress.delivered,
    failed: progress.failed,
  };
}
