import type { Batch } from '#domain/batch/batch';
import { sendOffsets, windowLength } from '#domain/batch/pacing';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import type { SendQueue } from '#ports/queues';
import type { SendWindows } from '#ports/send-windows';
import { jobMessage, parseRows, planChunkMessages } from './batch-messages';

export interface SendBatchDeps {
  readonly batches: BatchRepository;
  readonly accounts: AccountRepository;
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

/**
 * One chunk of the send workflow.
 * 1. Nothing for a batch that is no longer `running` (stopped): the workflow moves on to settle.
 * 2. Plan the chunk's messages (paid by the batch's reservation) and count them as queued, once per
 *    chunk. No message item is written here: each job carries its message, whose item the sender
 *    creates when it submits it (docs/cost.md).
 * 3. Book the chunk's stretch of the account's sending time (its campaigns share the account's parts/s
 *    cap) and give each message its moment within it, at the batch's speed: the job carries the moment
 *    (`notBefore`), SQS delays it to within a second, the sender waits out the rest.
 * 4. Tell the workflow to wait until the stretch is over before the next chunk.
 */
export async function enqueueBatchChunk(
  deps: SendBatchDeps,
  input: { accountId: string; batchId: string; chunk: { index: number; key: string; before?: number } },
) {
  const batch = await mustGet(deps, input);
  if (batch.status !== 'running') return { enqueued: 0, waitSeconds: 0 };
  const account = await deps.accounts.get(batch.fundedBy ?? batch.accountId);
  const rows = parseRows(new TextDecoder().decode(await deps.files.read(input.chunk.key)));
  const now = deps.clock.now();
  const messages = planChunkMessages(batch, rows, input.chunk.before ?? 0, now.toISOString());
  // Status callbacks follow the sending account's settings (its funder may be its parent).
  const sender =
    batch.fundedBy && batch.fundedBy !== batch.accountId ? await deps.accounts.get(batch.accountId) : account;
  const callbackUrl = sender?.deliveryCallbacks ? sender.callbackUrl : undefined;
  await deps.batches.countEnqueued(batch.accountId, batch.id, input.chunk.index, {
    queued: messages.length,
    parts: messages.reduce((t, m) => t + m.parts, 0),
    cost: messages.reduce((t, m) => t + m.cost, 0),
  });
  const parts = messages.map((m) => m.parts);
  const speed = batch.options.speed;
  const cap = account?.partsPerSecond ?? 0;
  const length = windowLength(parts, speed, cap);
  const start = length > 0 ? await deps.windows.book(batch.accountId, now.getTime(), length) : now.getTime();
  const offsets = sendOffsets(parts, speed, cap);
  await deps.sendQueue.enqueue(
    messages.map((m, i) => {
      const at = start + (offsets[i] ?? 0);
      const delay = Math.floor((at - now.getTime()) / 1000);
      return {
        accountId: m.accountId,
        messageId: m.id,
        message: callbackUrl ? { ...jobMessage(m), callbackUrl } : jobMessage(m),
        ...(at > now.getTime() ? { notBefore: new Date(at).toISOString() } : {}),
        ...(delay > 0 ? { delaySeconds: Math.min(900, delay) } : {}),
      };
    }),
  );
  return {
    enqueued: messages.length,
    waitSeconds: Math.max(0, Math.ceil((start + length - now.getTime()) / 1000)),
  };
}

/** Done when every enqueued message is final (or the batch was stopped and nothing is in flight). */
export async function checkBatchProgress(deps: SendBatchDeps, input: { accountId: string; batchId: string }) {
  const batch = await mustGet(deps, input);
  const { queued, delivered, failed, cancelled = 0 } = batch.progress;
  const counted = delivered + failed + cancelled >= queued;
  return { done: counted || pastLastReport(batch, deps.clock.now()), waitSeconds: 10 };
}

/** No delivery report is awaited longer than this after the validity period (carriers give up by then). */
const REPORT_GRACE_MS = 3600 * 1000;
/** Default validity when the batch sets none (AWS End User Messaging's own default). */
const DEFAULT_VALIDITY_MS = 72 * 3600 * 1000;

/**
 * A safety net for the progress counters (a crash between a message's final write and its counter
 * increment would leave them short forever): once every message has been sent and its validity and a
 * grace hour have passed, no report can still come, so the batch is done. Settlement then reads each
 * message's status as it stands (a message still `submitted` is charged: the carrier has it).
 */
export function pastLastReport(batch: Batch, now: Date): boolean {
  if (!batch.startedAt || !batch.summary) return false;
  const sending = batch.options.speed > 0 ? (batch.summary.messages / batch.options.speed) * 1000 : 0;
  const validity = (batch.options.validitySeconds ?? 0) * 1000 || DEFAULT_VALIDITY_MS;
  return now.getTime() > Date.parse(batch.startedAt) + sending + validity + REPORT_GRACE_MS;
}

export { failBatch, settleBatch } from './settle-batch';
