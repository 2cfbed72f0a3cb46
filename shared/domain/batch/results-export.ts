/**
 * An asynchronous export of a batch's per-row results (docs/access-patterns.md, "Results exports"):
 * requested over the API, written off the request path by `run-results-export`, downloaded from S3.
 */
export type ResultsExportStatus = 'pending' | 'running' | 'ready' | 'failed';
export type ResultsExportFormat = 'csv' | 'xlsx';

export interface ResultsExport {
  readonly id: string;
  readonly accountId: string;
  readonly batchId: string;
  readonly format: ResultsExportFormat;
  readonly status: ResultsExportStatus;
  /** The client's `Idempotency-Key`, when it sent one: the same key answers this export again. */
  readonly idempotencyKey?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** When the record (and the dedup it gives) expires (ISO UTC); the file expires with the batch's. */
  readonly expiresAt: string;
  /** Set when ready: the object's key, its data rows (header excluded) and size. */
  readonly fileKey?: string;
  readonly rows?: number;
  readonly bytes?: number;
  /** Set when failed: a stable reason code. */
  readonly reason?: string;
}

/** Unfinished states: a request without an Idempotency-Key joins such an export instead of starting one. */
export const UNFINISHED: ReadonlySet<ResultsExportStatus> = new Set(['pending', 'running']);

/**
 * An unfinished export older than this is presumed lost (its worker killed past its last retry) and no
 * longer joined: twice the worker's 15-minute timeout.
 */
export const JOIN_UNFINISHED_MS = 30 * 60 * 1000;

/** How long an export's record lives (DynamoDB TTL): a week, after which a GET of it is 404. */
export const EXPORT_RECORD_DAYS = 7;

/**
 * Excel's sheet holds 1,048,576 rows; the header takes one. A larger batch is exported as CSV only.
 */
export const XLSX_SHEET_MAX_ROWS = 1_048_575;

/**
 * The dedup slot of a request: per (batch, format) and the client's Idempotency-Key, or `-` without one
 * (which is only joined while its export is unfinished).
 */
export function exportSlot(format: ResultsExportFormat, idempotencyKey: string | undefined): string {
  return `${format}#${idempotencyKey === undefined ? '-' : `K${idempotencyKey}`}`;
}

/** Whether a new request joins `existing` rather than starting another export. */
export function joinsExisting(existing: ResultsExport, idempotent: boolean, now: Date): boolean {
  if (idempotent) return true;
  return (
    UNFINISHED.has(existing.status) && now.getTime() - Date.parse(existing.createdAt) < JOIN_UNFINISHED_MS
  );
}
