import type { BatchFinalTotals } from './settlement';

/**
 * A batch campaign: a file of recipients that becomes messages, checked, priced and confirmed before
 * anything is sent (MISSION items 3 and 6). Money in integer 1/10000 units.
 */
export type BatchStatus =
  | 'analysing'
  | 'ready'
  | 'scheduled'
  | 'running'
  | 'paused'
  | 'completed'
  | 'stopped'
  | 'cancelled'
  | 'failed';

/** Where the data is in the file: columns as Excel shows them ("A"), rows 1-based as Excel shows them. */
export interface BatchMapping {
  /** Sheet name or 0-based index; default the first visible sheet. */
  readonly sheet?: string | number;
  /** First data row; the row above it (if any) holds the headers that `#placeholders` name. */
  readonly firstRow: number;
  readonly phoneColumn: string;
  /** Either a column holding each row's message... */
  readonly messageColumn?: string;
  /** ...or one text with `#header` placeholders (rendered per row). */
  readonly text?: string;
  /** The saved template `text` was taken from (a copy: later edits of the template change nothing). */
  readonly templateId?: string;
  /**
   * The message column's cells are templates: each is rendered with the row's other (unmapped) columns
   * as `#header` placeholders, and a `#word` naming no header stays as written ("Comanda #123").
   */
  readonly messagePlaceholders?: boolean;
  /** Each row's sender (an approved sender ID of the account; an empty cell: the batch's `from`). */
  readonly senderColumn?: string;
  /** Each row's own reference, kept on its message (at most {@link MAX_CLIENT_REFERENCE} characters). */
  readonly clientReferenceColumn?: string;
  /** Each row's delivery-report URL (sendSMS `report_url`: a GET per status, `%d` = the status bit). */
  readonly reportUrlColumn?: string;
}

/** Longest client reference: an order or CRM id, not a payload (it is stored on every message). */
export const MAX_CLIENT_REFERENCE = 64;

/** The recipients of a list campaign: the contacts of these groups, each number once. */
export interface GroupSource {
  readonly ids: readonly string[];
  readonly text: string;
}

export interface BatchOptions {
  readonly from: string;
  /** ISO UTC instant to start at (given in the account's time zone at the edge); absent = on start. */
  readonly startAt?: string;
  /** Messages per second; 0 = as fast as allowed (the account's and the carrier's caps still hold). */
  readonly speed: number;
  /** Drop a row whose number was already seen. */
  readonly dedup: boolean;
  /**
   * Drop a row identical to an earlier one in number, rendered text and sender (the same number with
   * another text is sent). Absent = false.
   */
  readonly dedupMessages?: boolean;
  /** Also check the account's own blocklist (the platform's list always applies). */
  readonly blocklist: boolean;
  readonly smartEncoding: boolean;
  /** A copy to this number after every `every` messages sent. */
  readonly monitoring?: { readonly number: string; readonly every: 100 | 200 | 500 | 1000 | 5000 };
  readonly validitySeconds?: number;
  /** A `#placeholder` whose cell is empty: render empty, or reject the row. */
  readonly missingValues: 'empty' | 'error';
  /** Which statuses a row's `reportUrlColumn` URL is called for (sendSMS `report_mask`); default 19. */
  readonly reportMask?: number;
}

/** What the analysis found, before anything is sent. */
export interface BatchSummary {
  readonly rows: number;
  readonly valid: number;
  readonly invalid: number;
  readonly duplicates: number;
  readonly blocklisted: number;
  readonly messages: number;
  readonly parts: number;
  readonly cost: number;
  /** Count of invalid rows by reason code (INVALID_NUMBER:NOT_MOBILE, EMPTY_TEXT, ...). */
  readonly reasons: Readonly<Record<string, number>>;
  readonly chunks: number;
  /** Monitoring messages included in messages/parts/cost above (to the monitoring number). */
  readonly monitoring?: { readonly messages: number; readonly parts: number; readonly cost: number };
}

export interface BatchProgress {
  readonly queued: number;
  readonly sent: number;
  readonly delivered: number;
  /** Undelivered, expired or rejected. */
  readonly failed: number;
  /** Queued when the batch was stopped: never sent, refunded. */
  readonly cancelled: number;
  /** Jobs dropped by a pause (or of an older send generation): their messages were enqueued again. */
  readonly superseded?: number;
  readonly parts: number;
  readonly cost: number;
}

export interface Batch {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly status: BatchStatus;
  readonly reason?: string;
  /** A batch from a file: the upload and where the data is in it... */
  readonly uploadId?: string;
  readonly mapping?: BatchMapping;
  /** ...or a list campaign: contact groups and one text with `#field` placeholders (docs/contacts.md). */
  readonly groups?: GroupSource;
  readonly options: BatchOptions;
  readonly summary?: BatchSummary;
  readonly progress: BatchProgress;
  /** What `start` reserved on the paying account (the summary's cost). */
  readonly reserved?: number;
  /** The account that pays (itself, or its parent for a parent-funded subuser). */
  readonly fundedBy?: string;
  /**
   * Start as soon as the analysis is ready (a file drop's `autoStart`, a recurring campaign's occurrence):
   * the same reservation as `start`; when it is refused the batch ends `failed` with the reason.
   */
  readonly autoStart?: boolean;
  readonly createdAt: string;
  readonly startedAt?: string;
  readonly finishedAt?: string;
  /** Bumped by every resume: jobs of an older generation are dropped by the sender (re-enqueued). */
  readonly sendGeneration?: number;
  /** The generation whose jobs the send workflow has (re-)enqueued. */
  readonly enqueuedGeneration?: number;
  /** The last chunk (index) counted as queued. */
  readonly enqueuedThrough?: number;
  readonly pausedAt?: string;
  /** Written once by the batch's settlement (`shared/domain/batch/settlement.ts`). */
  readonly finalTotals?: BatchFinalTotals;
}

export const EMPTY_PROGRESS: BatchProgress = {
  queued: 0,
  sent: 0,
  delivered: 0,
  failed: 0,
  cancelled: 0,
  parts: 0,
  cost: 0,
};

/** Which statuses may follow which: every transition is a conditional write on the current status. */
export const BATCH_TRANSITIONS: Readonly<Record<BatchStatus, readonly BatchStatus[]>> = {
  analysing: ['ready', 'failed', 'cancelled'],
  // `failed`: an automatic start was refused (not enough credit, spend limit, nothing to send).
  ready: ['scheduled', 'running', 'cancelled', 'failed'],
  scheduled: ['running', 'cancelled'],
  running: ['paused', 'completed', 'stopped', 'failed'],
  paused: ['running', 'stopped', 'failed'],
  completed: [],
  stopped: [],
  cancelled: [],
  failed: [],
};

/** The statuses from which a move to `next` is allowed. */
export function allowedFrom(next: BatchStatus): BatchStatus[] {
  return (Object.keys(BATCH_TRANSITIONS) as BatchStatus[]).filter((from) =>
    BATCH_TRANSITIONS[from].includes(next),
  );
}

/** One analysed row as stored in a ready chunk (and shown in the per-row preview). */
export interface BatchRow {
  /** Row number as Excel shows it. */
  readonly row: number;
  readonly to?: string;
  readonly text?: string;
  readonly encoding?: 'GSM-7' | 'UCS-2';
  readonly parts?: number;
  readonly cost?: number;
  readonly status: 'ok' | 'invalid' | 'duplicate' | 'blocklisted';
  readonly reason?: string;
  /** The row's own sender, only when it differs from the batch's `from` (chunks stay small). */
  readonly from?: string;
  /** Only for rows that have one (`clientReferenceColumn`, `reportUrlColumn`). */
  readonly clientReference?: string;
  readonly reportUrl?: string;
}

/** Messages per enqueue step: one minute of sending at the batch's speed (all at once for speed 0). */
export function sendStep(speed: number, remaining: number): { count: number; seconds: number } {
  if (speed <= 0) return { count: remaining, seconds: 0 };
  const count = Math.min(remaining, speed * 60);
  return { count, seconds: Math.ceil(count / speed) };
}
