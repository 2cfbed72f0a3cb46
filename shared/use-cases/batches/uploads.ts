import { ValidationFailed } from '#domain/errors';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import { objectKeys } from '#topology/workflows';
import type { Caller } from '../accounts';

/** The kinds of file a batch, a contact group or a blocklist import can come from. */
export type UploadKind = 'xlsx' | 'xls' | 'csv';

/**
 * Files a batch can come from, by content type (the first one of a kind is its canonical type); the
 * reader checks the bytes themselves, not just this type.
 */
export const UPLOAD_TYPES: Readonly<Record<string, UploadKind>> = {
  'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet': 'xlsx',
  'text/csv': 'csv',
  'application/csv': 'csv',
  'application/vnd.ms-excel': 'xls',
};

/** The content type an upload of `kind` declares. */
export function contentTypeOf(kind: UploadKind): string {
  return Object.entries(UPLOAD_TYPES).find(([, k]) => k === kind)?.[0] ?? 'application/octet-stream';
}

/**
 * Windows (with Excel installed) reports a .csv file as `application/vnd.ms-excel`, so browsers send that
 * type for CSV files too; the name then decides, and the reader sniffs the bytes anyway.
 */
function uploadKind(contentType: string, fileName: string): UploadKind | undefined {
  const kind = UPLOAD_TYPES[contentType.toLowerCase()];
  const extension = fileName.toLowerCase().split('.').pop();
  if (kind === extension) return kind;
  return kind === 'xls' && extension === 'csv' ? 'csv' : undefined;
}

/** Biggest upload accepted (a 1M-row xlsx is ~30–60 MB; a full 65 536-row .xls sheet ~7–20 MB). */
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
 * 1. Accept xlsx, xls and csv only (by content type and extension).
 * 2. Record the upload under the caller's account; its object key starts with the account id.
 * 3. Answer a presigned PUT URL (15 minutes) with the headers to send.
 */
export async function createUpload(
  deps: UploadDeps,
  caller: Caller,
  request: { fileName: string; contentType: string },
) {
  if (!uploadKind(request.contentType, request.fileName)) {
    throw new ValidationFailed('Only .xlsx, .xls and .csv files are accepted', {
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
