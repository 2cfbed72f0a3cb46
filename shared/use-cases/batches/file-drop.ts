import { createHash } from 'node:crypto';
import type { Account } from '#domain/account/account';
import { DomainError } from '#domain/errors';
import { createBatchCommand, FileDropSidecar } from '#http/batch-request';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository, Upload } from '#ports/batch-repository';
import type { FileDropRecord, FileDropRepository } from '#ports/file-drops';
import type { BatchScheduler } from '#ports/workflows';
import type { Caller } from '../accounts';
import { type BatchDeps, createBatch } from './manage-batches';
import { contentTypeOf, type UploadKind } from './uploads';

export interface FileDropDeps extends Omit<BatchDeps, 'scheduler' | 'ids'> {
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly drops: FileDropRepository;
}

export type FileDropOutcome =
  | { readonly outcome: 'ignored'; readonly key: string }
  | { readonly outcome: 'created' | 'duplicate'; readonly accountId: string; readonly batchId: string }
  | {
      readonly outcome: 'rejected';
      readonly accountId: string;
      readonly key: string;
      readonly code: string;
      readonly reason: string;
      readonly details?: unknown;
    };

/** A sidecar is a few hundred bytes; anything much bigger is not one. */
export const MAX_SIDECAR_BYTES = 64 * 1024;
const DROP_KEY = /^drops\/([^/]+)\/(.+)\.json$/;

/**
 * `drops/<accountId>/<file>.xlsx.json` → the account (from the key, never from the sidecar) and the data
 * file beside the sidecar; undefined for any other key.
 */
export function parseDropKey(key: string) {
  const match = DROP_KEY.exec(key);
  if (!match?.[1] || !match[2]) return undefined;
  const dataKey = `drops/${match[1]}/${match[2]}`;
  const extension = dataKey.toLowerCase().split('.').pop();
  const kind: UploadKind | undefined =
    extension === 'xlsx' || extension === 'xls' || extension === 'csv' ? extension : undefined;
  return { accountId: match[1], dataKey, fileName: dataKey.split('/').pop() ?? dataKey, kind };
}

/**
 * The upload and batch ids of one drop: derived from the sidecar key and its PUT's S3 sequencer, so a
 * redelivered event (same sequencer) finds what the first delivery made, while a new PUT under the same
 * key (new sequencer) is a new drop.
 */
export function dropIds(key: string, sequencer?: string) {
  const hash = createHash('sha256')
    .update(`${key}\n${sequencer ?? ''}`)
    .digest('hex')
    .slice(0, 26);
  return { uploadId: `drop-${hash}`, batchId: `drop-${hash}` };
}

/** createBatch never schedules; a file drop has no scheduler grant. */
export const NO_SCHEDULER: BatchScheduler = {
  scheduleSend: () => Promise.reject(new Error('A file drop never schedules')),
  cancel: () => Promise.reject(new Error('A file drop never schedules')),
};

type Refusal = { code: string; reason: string; details?: unknown };
type Checked<T> = { ok: true; value: T } | ({ ok: false } & Refusal);

/**
 * An S3 file drop: the sidecar `<file>.json` arrived beside `<file>` (docs/file-drops.md).
 * 1. Keys other than `drops/<accountId>/….json` are ignored; a redelivered event finds its batch and
 *    changes nothing (an `analysing` batch's workflow is started again, idempotently by name).
 * 2. The account named by the key must exist and be active (and its parent, for a subuser).
 * 3. The sidecar must be UTF-8 JSON with the fields and rules of POST /v1/batches (plus `autoStart`).
 *    The file must be in the bucket.
 * 4. Record an upload pointing at the dropped file (no copy), then create the batch exactly as the API
 *    does (analysis starts; it stops at `ready`, or with `autoStart` the analysis starts it: auto-start.ts).
 * Every refusal is recorded (`DROP#<key>`) and returned, never thrown: retrying cannot fix a bad drop.
 * Only infrastructure errors throw, for the event's retry.
 */
export async function receiveFileDrop(
  deps: FileDropDeps,
  input: { key: string; sequencer?: string },
): Promise<FileDropOutcome> {
  const drop = parseDropKey(input.key);
  if (!drop) return { outcome: 'ignored', key: input.key };
  const { accountId } = drop;
  const { uploadId, batchId } = dropIds(input.key, input.sequencer);
  const at = () => deps.clock.now().toISOString();
  const base = {
    accountId,
    key: input.key,
    ...(input.sequencer === undefined ? {} : { sequencer: input.sequencer }),
  };
  const refuse = async ({ code, reason, details }: Refusal): Promise<FileDropOutcome> => {
    const record: FileDropRecord = {
      ...base,
      at: at(),
      status: 'rejected',
      code,
      reason,
      ...(details === undefined ? {} : { details }),
    };
    await deps.drops.record(record);
    return { outcome: 'rejected', accountId, key: input.key, code, reason, ...(details ? { details } : {}) };
  };

  const existing = await deps.batches.get(accountId, batchId);
  if (existing) {
    if (existing.status === 'analysing') {
      await deps.workflows.start('analyseBatch', `analyse-${batchId}`, { accountId, batchId });
    }
    return { outcome: 'duplicate', accountId, batchId };
  }

  const account = await activeAccount(deps, accountId);
  if (!account.ok) return refuse(account);
  if (!drop.kind) {
    return refuse({
      code: 'UNSUPPORTED_FILE',
      reason:
        'Name the sidecar after an .xlsx, .xls or .csv file: <file>.xlsx.json, <file>.xls.json or <file>.csv.json',
    });
  }
  const sidecar = await readSidecar(deps, input.key);
  if (!sidecar.ok) return refuse(sidecar);
  if ((await deps.files.size(drop.dataKey)) === undefined) {
    return refuse({
      code: 'FILE_MISSING',
      reason: `No file ${drop.dataKey}: upload the file first, then its sidecar`,
    });
  }

  let upload: Upload = {
    id: uploadId,
    accountId,
    fileName: drop.fileName,
    contentType: contentTypeOf(drop.kind),
    key: drop.dataKey,
    createdAt: at(),
  };
  try {
    await deps.batches.createUpload(upload);
  } catch (error) {
    // Conditional create: an upload already there is the one a previous delivery recorded.
    const recorded = await deps.batches.getUpload(accountId, uploadId);
    if (!recorded) throw error;
    upload = recorded;
  }
  const caller: Caller = { accountId, keyId: 'file-drop', account: account.value };
  try {
    await createBatch(
      {
        ...deps,
        batches: withUpload(deps.batches, upload),
        scheduler: NO_SCHEDULER,
        // The batch id is the drop's (createBatch asks for exactly one id: the batch's).
        ids: { newId: () => batchId, newToken: notNeeded },
      },
      caller,
      { ...createBatchCommand(uploadId, sidecar.value), autoStart: sidecar.value.autoStart },
    );
  } catch (error) {
    if (error instanceof DomainError) {
      return refuse({
        code: error.code,
        reason: error.message,
        ...(error.details === undefined ? {} : { details: error.details }),
      });
    }
    throw error;
  }
  await deps.drops.record({ ...base, at: at(), status: 'accepted', batchId, uploadId });
  return { outcome: 'created', accountId, batchId };
}

/**
 * The batch repository answering this drop's upload from memory: createBatch reads it back right after it
 * was written, sooner than an eventually consistent read is sure to see it. Everything else delegates.
 */
export function withUpload(batches: BatchRepository, upload: Upload): BatchRepository {
  const getUpload: BatchRepository['getUpload'] = (accountId, uploadId) =>
    accountId === upload.accountId && uploadId === upload.id
      ? Promise.resolve(upload)
      : batches.getUpload(accountId, uploadId);
  return Object.assign(Object.create(batches) as BatchRepository, { getUpload });
}

function notNeeded(): string {
  throw new Error('A file drop needs no token');
}

export async function activeAccount(
  deps: Pick<FileDropDeps, 'accounts'>,
  accountId: string,
): Promise<Checked<Account>> {
  const account = await deps.accounts.get(accountId);
  if (!account) {
    return { ok: false, code: 'UNKNOWN_ACCOUNT', reason: `No account ${accountId} (from the key prefix)` };
  }
  const parent = account.parentId ? await deps.accounts.get(account.parentId) : undefined;
  if (account.status !== 'active' || (account.parentId && parent?.status !== 'active')) {
    return { ok: false, code: 'ACCOUNT_NOT_ACTIVE', reason: `Account ${accountId} is not active` };
  }
  return { ok: true, value: account };
}

async function readSidecar(
  deps: Pick<FileDropDeps, 'files'>,
  key: string,
): Promise<Checked<FileDropSidecar>> {
  const size = await deps.files.size(key);
  if (size === undefined) return { ok: false, code: 'SIDECAR_MISSING', reason: `No sidecar ${key}` };
  if (size > MAX_SIDECAR_BYTES) {
    return { ok: false, code: 'SIDECAR_TOO_LARGE', reason: `The sidecar is over ${MAX_SIDECAR_BYTES} bytes` };
  }
  const bytes = await deps.files.read(key);
  let value: unknown;
  try {
    // UTF-8 only (fatal on anything else); a leading BOM is dropped by the decoder.
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes));
  } catch (error) {
    return {
      ok: false,
      code: 'INVALID_JSON',
      reason: `The sidecar is not UTF-8 JSON: ${(error as Error).message}`,
    };
  }
  const parsed = FileDropSidecar.safeParse(value);
  if (!parsed.success) {
    const details = parsed.error.issues.map((i) => ({ path: i.path.join('.'), message: i.message }));
    return {
      ok: false,
      code: 'VALIDATION_FAILED',
      reason: `The sidecar is invalid: ${details.map((d) => `${d.path || '(root)'}: ${d.message}`).join('; ')}`,
      details,
    };
  }
  return { ok: true, value: parsed.data };
}
