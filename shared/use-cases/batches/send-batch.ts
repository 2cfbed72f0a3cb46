import type { Batch, BatchRow } from '#domain/batch/batch';
import { monitoringPositions, monitoringText } from '#domain/batch/monitoring';
import { sendOffsets, windowLength } from '#domain/batch/pacing';
import { isGsm7 } from '#domain/message/encoding';
import { type Message, messageReference } from '#domain/message/message';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import type { SendQueue } from '#ports/queues';
import type { SendWindows } from '#ports/send-windows';

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

/** A batch message's id is derived from the batch and row: a retried chunk recreates nothing. */
export function batchMessageId(batchId: string, row: number): string {
  return `${batchId}R${row}`;
}

/**
 * One chunk of the send workflow.
 * 1. Nothing for a batch that is no longer `running` (stopped): the workflow moves on to settle.
 * 2. Create the chunk's messages (`queued`; paid by the batch's reservation) — idempotent per message.
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
  const messages = withMonitoring(
    batch,
    rows.filter((r) => r.status === 'ok').map((row) => toMessage(batch, row, now.toISOString())),
    input.chunk.before ?? 0,
  );
  await deps.batches.createMessages(batch, messages);
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

/**
 * Inserts the batch's monitoring messages after every `every`-th message (counted across chunks from
 * `before`), each priced as the summary priced it (its cost is part of the reservation).
 */
function withMonitoring(batch: Batch, messages: Message[], before: number): Message[] {
  const monitor = batch.options.monitoring;
  const priced = batch.summary?.monitoring;
  if (!monitor || !priced || priced.messages === 0) return messages;
  const positions = new Set(monitoringPositions(before, messages.length, monitor.every));
  const out: Message[] = [];
  messages.forEach((message, i) => {
    out.push(message);
    const k = before + i + 1;
    if (!positions.has(k)) return;
    const text = monitoringText(batch.name, k);
    const id = `${batch.id}M${k}`;
    const parts = priced.parts / priced.messages;
    const cost = priced.cost / priced.messages;
    out.push({
      ...message,
      id,
      to: monitor.number,
      text,
      encoding: isGsm7(text) ? 'GSM-7' : 'UCS-2',
      parts,
      cost,
      pricePerPart: parts > 0 ? cost / parts : 0,
      reference: messageReference(batch.accountId, id),
    });
  });
  return out;
}

function parseRows(text: string): BatchRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BatchRow);
}

function toMessage(batch: Batch, row: BatchRow, now: string): Message {
  const id = batchMessageId(batch.id, row.row);
  return {
    id,
    accountId: batch.accountId,
    to: row.to ?? '',
    from: batch.options.from,
    text: row.text ?? '',
    encoding: row.encoding ?? 'GSM-7',
    parts: row.parts ?? 1,
    cost: row.cost ?? 0,
    pricePerPart: row.parts ? Math.round((row.cost ?? 0) / row.parts) : 0,
    currency: 'EUR',
    fundedBy: batch.fundedBy ?? batch.accountId,
    status: 'queued',
    createdAt: now,
    events: [
      { status: 'accepted', at: now },
      { status: 'queued', at: now },
    ],
    reference: messageReference(batch.accountId, id),
    batchId: batch.id,
    ...(batch.options.validitySeconds ? { validitySeconds: batch.options.validitySeconds } : {}),
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
 * grace hour have passed, no report can still come, so the batch is done. Settling it then is safe:
 * each message's own money moves with its final status, whenever that comes.
 */
export function pastLastReport(batch: Batch, now: Date): boolean {
  if (!batch.startedAt || !batch.summary) return false;
  const sending = batch.options.speed > 0 ? (batch.summary.messages / batch.options.speed) * 1000 : 0;
  const validity = (batch.options.validitySeconds ?? 0) * 1000 || DEFAULT_VALIDITY_MS;
  return now.getTime() > Date.parse(batch.startedAt) + sending + validity + REPORT_GRACE_MS;
}

/**
 * The end of the send workflow: the batch is `completed` (or stays `stopped`) and what was reserved
 * but never turned into messages is given back, once.
 */
export async function settleBatch(deps: SendBatchDeps, input: { accountId: string; batchId: string }) {
  const batch = await mustGet(deps, input);
  const unused = Math.max(0, (batch.reserved ?? 0) - batch.progress.cost);
  const to = batch.status === 'stopped' ? 'stopped' : 'completed';
  const now = deps.clock.now().toISOString();
  const settled = await deps.batches.release(
    batch,
    to,
    unused,
    {
      id: deps.ids.newId(),
      accountId: batch.fundedBy ?? batch.accountId,
      amount: unused,
      reservedDelta: -unused,
      kind: 'refund',
      reason: `Batch "${batch.name}" ${to}: reserved and not sent`,
      by: 'system',
      ref: batch.id,
      at: now,
    },
    now,
  );
  return { status: settled?.status ?? batch.status, refunded: settled ? unused : 0 };
}

/** The workflow failed: the batch ends `failed` with the reason, and what was not sent is refunded. */
export async function failBatch(
  deps: SendBatchDeps,
  input: { accountId: string; batchId: string; error?: { Error?: string; Cause?: string } },
) {
  const batch = await mustGet(deps, input);
  const reason = failureReason(input.error);
  if (batch.status === 'analysing') {
    await deps.batches.transition(batch.accountId, batch.id, 'failed', {
      reason,
      finishedAt: deps.clock.now().toISOString(),
    });
    return { status: 'failed', reason };
  }
  const unused = Math.max(0, (batch.reserved ?? 0) - batch.progress.cost);
  const now = deps.clock.now().toISOString();
  await deps.batches.release(
    batch,
    'failed',
    unused,
    {
      id: deps.ids.newId(),
      accountId: batch.fundedBy ?? batch.accountId,
      amount: unused,
      reservedDelta: -unused,
      kind: 'refund',
      reason: `Batch "${batch.name}" failed: ${reason}`,
      by: 'system',
      ref: batch.id,
      at: now,
    },
    now,
  );
  return { status: 'failed', reason };
}

/** The reason shown to the user: the task's error message (Step Functions wraps it in `Cause`). */
function failureReason(error: { Error?: string; Cause?: string } | undefined): string {
  if (!error) return 'WORKFLOW_FAILED';
  try {
    const cause = JSON.parse(error.Cause ?? '') as { errorMessage?: string; errorType?: string };
    if (cause.errorMessage) return `${cause.errorType ?? error.Error ?? 'Error'}: ${cause.errorMessage}`;
  } catch {
    // Not JSON: use the error name.
  }
  return error.Error ?? 'WORKFLOW_FAILED';
}
