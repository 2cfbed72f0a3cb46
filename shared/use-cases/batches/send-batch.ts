import type { Batch } from '#domain/batch/batch';
import {
  plannedSendingMs,
  SETTLE_GRACE_MS,
  sendingSince,
  sendWindowClosed,
  sendWindowExpiry,
} from '#domain/batch/send-window';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { MessageRepository } from '#ports/message-repository';
import type { ObjectStore } from '#ports/object-store';
import type { SendQueue } from '#ports/queues';
import type { SendWindows } from '#ports/send-windows';
import { parseRows, planChunkMessages } from './batch-messages';
import { stopSending } from './manage-batches';
import { enqueuePaced, resendAfterResume } from './paced-enqueue';

export interface SendBatchDeps {
  readonly batches: BatchRepository;
  readonly accounts: AccountRepository;
  readonly messages: Pick<MessageRepository, 'getMany'>;
  readonly windows: SendWindows;
  readonly files: ObjectStore;
  readonly sendQueue: SendQueue;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

async function mustGet(deps: Pick<SendBatchDeps, 'batches'>, input: { accountId: string; batchId: string }) {
  const batch = await deps.batches.get(input.accountId, input.batchId);
  if (!batch) throw new Error(`Batch ${input.batchId} not found`);
  return batch;
}

/**
 * First step of the send workflow: the batch becomes `running` (a scheduled one when its schedule
 * fires) and the ready chunks are listed in order. A batch cancelled or stopped meanwhile gets no chunks.
 */
export async function planBatchSend(deps: SendBatchDeps, input: { accountId: string; batchId: string }) {
  let batch = await mustGet(deps, input);
  if (batch.status === 'scheduled') {
    batch =
      (await deps.batches.transition(batch.accountId, batch.id, 'running')) ?? (await mustGet(deps, input));
  }
  if (batch.status !== 'running') return { chunks: [] };
  const [keys, counts] = await Promise.all([
    deps.batches.chunkKeys(batch.accountId, batch.id),
    deps.batches.chunkMessageCounts(batch.accountId, batch.id),
  ]);
  let before = 0;
  return {
    chunks: keys.map((key, index) => {
      const chunk = { index, key, before };
      before += counts[index] ?? 0;
      return chunk;
    }),
  };
}

export { batchMessageId } from './batch-messages';

/** While a batch is paused, the send workflow looks again this often at first... */
export const PAUSE_POLL_SECONDS = 10;
/** ...then less and less often, up to this (a resume is noticed within a tenth of the pause, ≤ 10 min). */
const PAUSE_POLL_MAX_SECONDS = 600;

/**
 * Every poll adds ~9 events to the execution's history, which Step Functions caps at 25 000 (the execution
 * then fails, with no Catch): at 10 s a pause would exhaust it in under 8 hours. Polling every tenth of
 * the time paused so far keeps a pause of the whole window (6 days) to ~900 polls.
 */
export function pausePollSeconds(batch: Pick<Batch, 'pausedAt'>, now: Date): number {
  const pausedFor = batch.pausedAt ? (now.getTime() - Date.parse(batch.pausedAt)) / 1000 : 0;
  return backoffSeconds(pausedFor);
}

/** A tenth of the time waited so far, from 10 s to 10 min. */
function backoffSeconds(waitedSeconds: number): number {
  return Math.min(PAUSE_POLL_MAX_SECONDS, Math.max(PAUSE_POLL_SECONDS, Math.ceil(waitedSeconds / 10)));
}

/**
 * The wait for the last delivery reports backs off the same way, counted from when sending should have
 * ended: reports normally arrive within seconds (polls stay at 10 s), but a carrier may take up to 72 h
 * for the last few (and the `pastLastReport` safety net waits longer still), which at 10 s a poll would
 * exhaust the 25 000-event history in ~7.7 h and fail the execution with the batch's credit reserved.
 * Backed off, a 72 h wait is ~520 polls. A settlement is then at most a tenth of the wait late.
 */
export function reportPollSeconds(batch: Pick<Batch, 'startedAt' | 'options' | 'summary'>, now: Date) {
  const since = sendingSince(batch);
  if (since === undefined) return PAUSE_POLL_SECONDS;
  const sending = plannedSendingMsOf(batch);
  return backoffSeconds((now.getTime() - since - sending) / 1000);
}

/** Sending at the batch's own speed (the account's cap left out: a lower bound is what the waits need). */
function plannedSendingMsOf(batch: Pick<Batch, 'options' | 'summary'>): number {
  return batch.summary ? plannedSendingMs(batch.summary, batch.options.speed, 0) : 0;
}

/**
 * The batch as a workflow step must see it: once its send window has closed (`send-window.ts`) a batch
 * still paused or running is stopped first, through the one stop path (`reason` PAUSE_EXPIRED or
 * SEND_WINDOW_EXPIRED), so the workflow runs on to its settlement before the execution times out.
 */
async function currentBatch(
  deps: SendBatchDeps,
  input: { accountId: string; batchId: string },
  now: Date,
): Promise<Batch> {
  const batch = await mustGet(deps, input);
  const reason = sendWindowExpiry(batch, now);
  if (reason === undefined) return batch;
  return (await stopSending(deps, batch.accountId, batch.id, reason)) ?? mustGet(deps, input);
}

/**
 * One chunk of the send workflow (called again while `done` is false).
 * 1. Stopped (or otherwise no longer sending): nothing, done — the workflow moves on to settle.
 *    Paused: nothing, not done — the workflow waits (`pausePollSeconds`) and asks again.
 *    Either, past the send window: stopped first (`currentBatch`).
 * 2. Resumed since the last enqueue (a new send generation): first enqueue again, in a fresh paced
 *    stretch, what the pause kept from being submitted (`resendAfterResume`).
 * 3. Plan the chunk's messages (paid by the batch's reservation) and enqueue them paced at the batch's
 *    speed within the account's cap (`enqueuePaced`). No message item is written here: each job carries
 *    its message, whose item the sender creates when it submits it (docs/cost.md). Then count them as
 *    queued, once per chunk (a chunk counted already is not enqueued again).
 * 4. Tell the workflow to wait until the stretch is over before the next chunk.
 */
export async function enqueueBatchChunk(
  deps: SendBatchDeps,
  input: { accountId: string; batchId: string; chunk: { index: number; key: string; before?: number } },
) {
  const now = deps.clock.now();
  const batch = await currentBatch(deps, input, now);
  if (batch.status === 'paused')
    return { done: false, enqueued: 0, waitSeconds: pausePollSeconds(batch, now) };
  if (batch.status !== 'running') return { done: true, enqueued: 0, waitSeconds: 0 };
  const resentUntil = await resendAfterResume(deps, batch, now);
  if ((batch.enqueuedThrough ?? -1) >= input.chunk.index) {
    return { done: true, enqueued: 0, waitSeconds: secondsUntil(resentUntil ?? 0, now) };
  }
  const rows = parseRows(new TextDecoder().decode(await deps.files.read(input.chunk.key)));
  const messages = planChunkMessages(batch, rows, input.chunk.before ?? 0, now.toISOString());
  const until = await enqueuePaced(deps, batch, messages, now);
  await deps.batches.countEnqueued(batch.accountId, batch.id, input.chunk.index, {
    queued: messages.length,
    parts: messages.reduce((t, m) => t + m.parts, 0),
    cost: messages.reduce((t, m) => t + m.cost, 0),
  });
  return { done: true, enqueued: messages.length, waitSeconds: secondsUntil(until, now) };
}

function secondsUntil(at: number, now: Date): number {
  return Math.max(0, Math.ceil((at - now.getTime()) / 1000));
}

/**
 * Done when every enqueued job is accounted for (final, cancelled by a stop, or superseded by a pause and
 * enqueued again), or by the safety net, or at the latest `SETTLE_GRACE_MS` after the send window closed
 * (the batch stopped by then: `currentBatch`). Never while paused; a resume after the last chunk enqueues
 * again here what the pause held back.
 */
export async function checkBatchProgress(deps: SendBatchDeps, input: { accountId: string; batchId: string }) {
  const now = deps.clock.now();
  const batch = await currentBatch(deps, input, now);
  if (batch.status === 'paused') return { done: false, waitSeconds: pausePollSeconds(batch, now) };
  if (sendWindowClosed(batch, now, SETTLE_GRACE_MS)) return { done: true, waitSeconds: 0 };
  const resentUntil = await resendAfterResume(deps, batch, now);
  if (resentUntil !== undefined)
    return { done: false, waitSeconds: Math.max(10, secondsUntil(resentUntil, now)) };
  const { queued, delivered, failed, cancelled = 0, superseded = 0 } = batch.progress;
  const counted = delivered + failed + cancelled + superseded >= queued;
  // After the window: a minute between looks (the grace hour adds 60 polls to the history, not 360).
  const waitSeconds = sendWindowClosed(batch, now) ? 60 : reportPollSeconds(batch, now);
  return { done: counted || pastLastReport(batch, now), waitSeconds };
}

/** No delivery report is awaited longer than this after the validity period (carriers give up by then). */
const REPORT_GRACE_MS = 3600 * 1000;
/** Default validity when the batch sets none (AWS End User Messaging's own default). */
const DEFAULT_VALIDITY_MS = 72 * 3600 * 1000;

/**
 * A safety net for the progress counters (a crash between a message's final write and its counter
 * increment would leave them short forever): once every message has been sent and its validity and a
 * grace hour have passed (counted from when sending began: a scheduled batch's start time), no report
 * can still come, so the batch is done. Settlement then reads each
 * message's status as it stands (a message still `submitted` is charged: the carrier has it).
 */
export function pastLastReport(batch: Batch, now: Date): boolean {
  const since = sendingSince(batch);
  if (since === undefined || !batch.summary) return false;
  const sending = plannedSendingMsOf(batch);
  const validity = (batch.options.validitySeconds ?? 0) * 1000 || DEFAULT_VALIDITY_MS;
  return now.getTime() > since + sending + validity + REPORT_GRACE_MS;
}

export { failBatch, settleBatch } from './settle-batch';
