import type { Batch } from './batch';

const DAY_MS = 24 * 3600 * 1000;

/**
 * How long a batch may stay unfinished (running or paused) after its sending began. The send workflow's
 * execution times out after 7 days (`WORKFLOWS.sendBatch.timeoutHours`), and a timed-out execution runs
 * no Catch: the batch would stay `paused` (or `running`) forever with its credit reserved. So the workflow
 * ends the batch itself once this window has closed — `stopped` and settled exactly as `POST /stop`
 * does — a day before the timeout, which leaves ample time for the remaining chunks' no-op steps and the
 * settlement. Measured from the start of sending, not from the pause: a pause that began after three days
 * of sending must end before the execution does, not six days later.
 */
export const SEND_WINDOW_MS = 6 * DAY_MS;

/**
 * The longest sending a start accepts: its messages at the batch's speed and its parts at the account's
 * cap. A day short of the window, so that a planned batch ends by itself, pauses and slow reports
 * included, rather than being stopped by the window.
 */
export const MAX_PLANNED_SENDING_MS = 5 * DAY_MS;

/** The `reason` of a batch the workflow stopped because it was still paused when its window closed. */
export const PAUSE_EXPIRED = 'PAUSE_EXPIRED';
/** The `reason` of a batch the workflow stopped because it was still sending when its window closed. */
export const SEND_WINDOW_EXPIRED = 'SEND_WINDOW_EXPIRED';

/**
 * When the batch's send workflow began: the start, or the scheduled start time if later (a one-time
 * schedule starts the workflow then; a late firing only makes this conservative).
 */
export function sendingSince(batch: Pick<Batch, 'startedAt' | 'options'>): number | undefined {
  if (!batch.startedAt) return undefined;
  const startAt = batch.options.startAt ? Date.parse(batch.options.startAt) : 0;
  return Math.max(Date.parse(batch.startedAt), startAt);
}

/**
 * After the window closed (and the batch was stopped), the workflow waits at most this long for the
 * counters — jobs still queued are dropped as cancelled, reports of the last submissions arrive — then
 * settles whatever they say (a message still `submitted` is charged: the carrier has it).
 */
export const SETTLE_GRACE_MS = 3600 * 1000;

/** The batch's send window has closed, plus `graceMs` (see `SEND_WINDOW_MS`). */
export function sendWindowClosed(
  batch: Pick<Batch, 'startedAt' | 'options'>,
  now: Date,
  graceMs = 0,
): boolean {
  const since = sendingSince(batch);
  return since !== undefined && now.getTime() >= since + SEND_WINDOW_MS + graceMs;
}

/** Why the workflow stops this batch now (`PAUSE_EXPIRED`, `SEND_WINDOW_EXPIRED`), or undefined. */
export function sendWindowExpiry(batch: Batch, now: Date): string | undefined {
  if (batch.status !== 'running' && batch.status !== 'paused') return undefined;
  if (!sendWindowClosed(batch, now)) return undefined;
  return batch.status === 'paused' ? PAUSE_EXPIRED : SEND_WINDOW_EXPIRED;
}

/**
 * The shortest time sending these messages can take: one message per 1/speed s and their parts at the
 * account's cap (0 = no limit on either). A lower bound — other batches of the account share its cap.
 */
export function plannedSendingMs(
  plan: { messages: number; parts: number },
  speed: number,
  partsPerSecond: number,
): number {
  const bySpeed = speed > 0 ? plan.messages / speed : 0;
  const byCap = partsPerSecond > 0 ? plan.parts / partsPerSecond : 0;
  return Math.max(bySpeed, byCap) * 1000;
}
