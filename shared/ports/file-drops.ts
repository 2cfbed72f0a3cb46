/**
 * What became of one S3 file drop (docs/file-drops.md): the operator's record, next to the account's
 * data, of a batch created or a sidecar refused with its reason. One per sidecar key: a later drop under
 * the same key replaces it.
 */
export type FileDropRecord = {
  readonly accountId: string;
  /** The sidecar's object key (`drops/<accountId>/<file>.json`). */
  readonly key: string;
  /** The S3 event's `sequencer` of the sidecar PUT, when the event carried one. */
  readonly sequencer?: string;
  readonly at: string;
} & (
  | { readonly status: 'accepted'; readonly batchId: string; readonly uploadId: string }
  | {
      readonly status: 'rejected';
      readonly code: string;
      readonly reason: string;
      readonly details?: unknown;
    }
);

export interface FileDropRepository {
  record(drop: FileDropRecord): Promise<void>;
  get(accountId: string, key: string): Promise<FileDropRecord | undefined>;
}
