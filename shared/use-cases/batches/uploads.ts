import { ValidationFailed } from '#domain/errors';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import { objectKeys } from '#topology/workflows';
import type { Caller } from '../accounts';

/** Files a batch can come from; the reader checks the bytes themselves, not just this type. */
export const UPLOAD_TYPES: Readonly<Record<string, 'xlsx' | 'csv'>> = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/csv': 'csv',
  'application/csv': 'csv',
};

/** Biggest upload accepted (a 1M-row xlsx is ~30–60 MB). */
export const MAX_UPLOAD_BYTES = 100 * 1024 * 1024;
const URL_LIFETIME_SECONDS = 15 * 60;

export interface UploadDeps {
  readonly batches: BatchRepository;
  readonly files: ObjectStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * A place to upload a batch file.
 * 1. Accept xlsx and csv only (by content type and extension).
 * 2. Record the upload under the caller's account; its object key starts with the account id.
 * 3. Answer a presigned PUT URL (15 minutes) with the headers to send.
 */
export async function createUpload(
  deps: UploadDeps,
  caller: Caller,
  request: { fileName: string; contentType: string },
) {
  const kind = UPLOAD_TYPES[request.contentType.toLowerCase()];
  const extension = request.fileName.toLowerCase().split('.').pop();
  if (!kind || extension !== kind) {
    throw new ValidationFailed('Only .xlsx and .csv files are accepted', {
      details: { accepted: Object.keys(UPLOAD_TYPES) },
    });
  }
  const id = deps.ids.newId();
  const key = objectKeys.upload(caller.accountId, id);
  const now = deps.clock.now();
  await deps.batches.createUpload({
    id,
    accountId: caller.accountId,
    fileName: request.fileName,
    contentType: request.contentType,
    key,
    createdAt: now.toISOString(),
  });
  const target = await deps.files.presignPut(key, request.contentType, URL_LIFETIME_SECONDS);
  return {
    uploadId: id,
    url: target.url,
    method: 'PUT' as const,
    headers: target.headers,
    maxBytes: MAX_UPLOAD_BYTES,
    expiresAt: new Date(now.getTime() + URL_LIFETIME_SECONDS * 1000).toISOString(),
  };
}
