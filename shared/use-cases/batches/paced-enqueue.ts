import type { Batch } from '#domain/batch/batch';
import { sendOffsets, windowLength } from '#domain/batch/pacing';
import type { Message } from '#domain/message/message';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { MessageRepository } from '#ports/message-repository';
import type { ObjectStore } from '#ports/object-store';
import type { SendQueue } from '#ports/queues';
import type { SendWindows } from '#ports/send-windows';
import { jobMessage, parseRows, planChunkMessages } from './batch-messages';

export interface PacedEnqueueDeps {
  readonly batches: BatchRepository;
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly messages: Pick<MessageRepository, 'getMany'>;
  readonly windows: SendWindows;
  readonly files: ObjectStore;
  readonly sendQueue: SendQueue;
}

/**
 * Books a stretch of the account's sending time for `messages` (its campaigns share the account's
 * parts/s cap) and enqueues each at its moment within it, at the batch's speed, carrying the batch's
 * current send generation: the job carries the moment (`notBefore`), SQS delays it to within a second,
 * the sender waits out the rest. Answers when the stretch ends (epoch ms).
 */
export async function enqueuePaced(
  deps: PacedEnqueueDeps,
  batch: Batch,
  messages: readonly Message[],
  now: Date,
): Promise<number> {
  const account = await deps.accounts.get(batch.fundedBy ?? batch.accountId);
  // Status callbacks follow the sending account's settings (its funder may be its parent).
  const sender =
    batch.fundedBy && batch.fundedBy !== batch.accountId ? await deps.accounts.get(batch.accountId) : account;
  const callbackUrl = sender?.deliveryCallbacks ? sender.callbackUrl : undefined;
  const parts = messages.map((m) => m.parts);
  const speed = batch.options.speed;
  const cap = account?.partsPerSecond ?? 0;
  const length = windowLength(parts, speed, cap);
  const start = length > 0 ? await deps.windows.book(batch.accountId, now.getTime(), length) : now.getTime();
  const offsets = sendOffsets(parts, speed, cap);
  const generation = batch.sendGeneration ?? 0;
  await deps.sendQueue.enqueue(
    messages.map((m, i) => {
      const at = start + (offsets[i] ?? 0);
      const delay = Math.floor((at - now.getTime()) / 1000);
      return {
        accountId: m.accountId,
        messageId: m.id,
        message: callbackUrl ? { ...jobMessage(m, generation), callbackUrl } : jobMessage(m, generation),
        ...(at > now.getTime() ? { notBefore: new Date(at).toISOString() } : {}),
        ...(delay > 0 ? { delaySeconds: Math.min(900, delay) } : {}),
      };
    }),
  );
  return start + length;
}

/**
 * After a resume (the batch's `sendGeneration` went up), replaces the jobs the pause made the sender
 * drop: every planned message of the chunks enqueued so far that has no item yet (never submitted), or
 * only a claim given back after a throttle (`queued`), is enqueued again with the new generation, in a
 * fresh stretch at the batch's speed — no burst past the pacing. Jobs of the older generation still waiting in the queue are dropped by the sender when they
 * come up, and a message claimed meanwhile is never sent twice (the claim). Done once per generation
 * (`enqueuedGeneration`); answers when the new stretch ends, or undefined when there was nothing to do.
 */
export async function resendAfterResume(
  deps: PacedEnqueueDeps,
  batch: Batch,
  now: Date,
): Promise<number | undefined> {
  const generation = batch.sendGeneration ?? 0;
  if (batch.status !== 'running' || generation <= (batch.enqueuedGeneration ?? 0)) return undefined;
  const keys = await deps.batches.chunkKeys(batch.accountId, batch.id);
  const missing: Message[] = [];
  let before = 0;
  for (const [index, key] of keys.entries()) {
    if (index > (batch.enqueuedThrough ?? -1)) break;
    const rows = parseRows(new TextDecoder().decode(await deps.files.read(key)));
    const planned = planChunkMessages(batch, rows, before, now.toISOString());
    before += rows.filter((r) => r.status === 'ok').length;
    const found = await deps.messages.getMany(
      batch.accountId,
      planned.map((m) => m.id),
      { consistent: true },
    );
    // A `queued` item is a claim given back after a throttle whose retry the pause dropped: resent too.
    const submitted = new Set(found.filter((m) => m.status !== 'queued').map((m) => m.id));
    missing.push(...planned.filter((m) => !submitted.has(m.id)));
  }
  let until = now.getTime();
  if (missing.length > 0) {
    until = await enqueuePaced(deps, batch, missing, now);
    // Each job enqueued counts once as queued; each dropped one counts once as superseded.
    await deps.batches.addProgress(batch.accountId, batch.id, { queued: missing.length });
  }
  await deps.batches.markResent(batch.accountId, batch.id, generation);
  return until;
}
