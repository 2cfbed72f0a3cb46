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
 * 1. Read the header row (any order, any case): `to` and `message` are required; `from` (the row's
 *    sender: an approved sender ID of the account, an empty cell = the account's default, another one
 *    makes the row invalid `SENDER_NOT_ALLOWED`), `client_reference` (kept on the message, at most 64
 *    characters, else the row is invalid `CLIENT_REFERENCE_TOO_LONG`) and `report_url` (a GET per status
 *    with `%d` = the status bit, mask 19; not an http(s) URL: the row is invalid `INVALID_REPORT_URL`)
 *    are optional. Every other column is a `#header` placeholder of the row's message cell; a `#word`
 *    naming no column stays as written ("Comanda #123").
 * 2. Store the file as an upload of the caller's account.
 * 3. Create the batch (data from row 2): rows identical in number, text and sender are sent once (the
 *    same number with another text is sent); with a start time it starts on its own once analysed, at
 *    that time (at once for a past one), else it waits for `start`.
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
  const optionalColumn = (name: string) => {
    const index = header.indexOf(name);
    return index === -1 ? undefined : columnLetter(index);
  };
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
    mapping: {
      firstRow: 2,
      phoneColumn: columnLetter(phone),
      messageColumn: columnLetter(message),
      messagePlaceholders: true,
      ...withColumn('senderColumn', optionalColumn('from')),
      ...withColumn('clientReferenceColumn', optionalColumn('client_reference')),
      ...withColumn('reportUrlColumn', optionalColumn('report_url')),
    },
    options: {
      speed: command.speed,
      dedup: false,
      dedupMessages: true,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
      ...(command.startAt ? { startAt: command.startAt.toISOString() } : {}),
    },
    ...(command.startAt ? { autoStart: true } : {}),
  });
}

const withColumn = <K extends string>(key: K, column: string | undefined) =>
  (column === undefined ? {} : { [key]: column }) as Partial<Record<K, string>>;

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
