import type { Batch } from '#domain/batch/batch';
import { ValidationFailed } from '#domain/errors';
import type { OpenSpreadsheet } from '#ports/spreadsheet';
import { objectKeys } from '#topology/workflows';
import type { Caller } from '../accounts';
import { type BatchDeps, createBatch } from '../batches/manage-batches';
import { contentTypeOf, MAX_UPLOAD_BYTES, type UploadKind } from '../batches/uploads';

export interface FileBatchDeps extends BatchDeps {
  readonly openSpreadsheet: OpenSpreadsheet;
}

export interface FileBatchCommand {
  readonly name: string;
  readonly file: { readonly bytes: Uint8Array; readonly format: UploadKind };
  /** Messages per second, 0 = as fast as allowed. */
  readonly speed: number;
  /** Start automatically at this instant (a past one: as soon as it is ready); absent = manual start. */
  readonly startAt?: Date;
}

/**
 * A batch from a file that came with the request (the sendSMS API's `batch_create`): the same upload,
 * analysis and sending as `POST /v1/uploads` + `POST /v1/batches`, with the upstream's file layout.
 * 1. Read the header row: `to` and `message` columns are required (any order, any case); `from`,
 *    `client_reference`, `report_url` and other columns may be there (the sender is the account's, as
 *    upstream overwrites the column too).
 * 2. Store the file as an upload of the caller's account.
 * 3. Create the batch (data from row 2); with a start time it starts on its own once analysed, at that
 *    time (at once for a past one), else it waits for `start`.
 */
export async function createBatchFromFile(
  deps: FileBatchDeps,
  caller: Caller,
  command: FileBatchCommand,
): Promise<Batch> {
  if (command.file.bytes.length > MAX_UPLOAD_BYTES) {
    throw new ValidationFailed(`The file is larger than ${MAX_UPLOAD_BYTES} bytes`);
  }
  const header = await headerRow(deps, command.file.bytes);
  const phone = header.indexOf('to');
  const message = header.indexOf('message');
  if (phone === -1 || message === -1) {
    throw new ValidationFailed('The first row must name the columns: to, message (and optionally from, …)', {
      details: { header },
    });
  }
  const uploadId = deps.ids.newId();
  const key = objectKeys.upload(caller.accountId, uploadId);
  const contentType = contentTypeOf(command.file.format);
  await deps.batches.createUpload({
    id: uploadId,
    accountId: caller.accountId,
    fileName: `${command.name}.${command.file.format}`,
    contentType,
    key,
    createdAt: deps.clock.now().toISOString(),
  });
  await deps.files.write(key, command.file.bytes, contentType);
  return createBatch(deps, caller, {
    uploadId,
    name: command.name,
    mapping: { firstRow: 2, phoneColumn: columnLetter(phone), messageColumn: columnLetter(message) },
    options: {
      speed: command.speed,
      dedup: false,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
      ...(command.startAt ? { startAt: command.startAt.toISOString() } : {}),
    },
    ...(command.startAt ? { autoStart: true } : {}),
  });
}

/** 0 → "A", 26 → "AA": columns as Excel shows them, which batch mappings use. */
function columnLetter(index: number): string {
  let letters = '';
  for (let n = index + 1; n > 0; n = Math.floor((n - 1) / 26)) {
    letters = String.fromCharCode(65 + ((n - 1) % 26)) + letters;
  }
  return letters;
}

/** The first row's cells, trimmed and lower-cased ('' for empty ones). */
async function headerRow(deps: Pick<FileBatchDeps, 'openSpreadsheet'>, bytes: Uint8Array): Promise<string[]> {
  const sheet = await deps.openSpreadsheet(bytes);
  for await (const rows of sheet.rowBatches({ maxRows: 1 })) {
    const first = rows[0];
    if (first) return first.cells.map((cell) => (cell === null ? '' : String(cell).trim().toLowerCase()));
  }
  throw new ValidationFailed('The file is empty');
}
