import type { BatchJobMessage, SendJob } from '#ports/queues';
import { releasedMessage, submittedMessage } from './batches/batch-messages';
import {
  CarrierThrottled,
  recordReplyRoute,
  type SubmitMessageDeps,
  type SubmitOutcome,
} from './submit-message';

/**
 * Submits one batch message, at most once however often the queue delivers its job. Its money moved
 * with the batch (reserved at `start`, settled once at the end), so nothing here touches credit.
 * 1. A batch that no longer runs (stopped, failed) submits nothing: the job is dropped and counted
 *    `cancelled`; no item = never sent, refunded by the batch's settlement. A paused batch, or a job of
 *    an older send generation (enqueued before a resume), submits nothing either: the job is dropped and
 *    counted `superseded` — the send workflow enqueues its message again on resume. A job whose item
 *    exists (an earlier delivery submitted it, and counted it) is dropped without counting again.
 *    Except a claim given back after a throttle (`queued` item) in a batch that no longer runs: that
 *    message is submitted still (below), because a failed batch's settlement may already have read the
 *    claim, and charged it, before it was given back; if the settlement sealed it instead, the claim
 *    finds it `cancelled` and nothing is sent.
 * 2. Claim: a conditional Put writes the message's item as `submitted` where there is none or only a
 *    claim given back (the only write of a successful submission; the final status and carrier ids come
 *    with the delivery report). Any other item is an earlier delivery of this job: final → skip;
 *    `submitted` → re-submit only to a carrier that recognises our reference (it answers with the first
 *    ids and sends nothing), otherwise leave it for the delivery report.
 * 3. Submit. Accepted → counted `sent`; rejected → `rejected` (refunded by settlement), counted
 *    `failed`; throttled → the claim is given back (`queued`, never deleted) and the job retried later.
 */
export async function submitBatchMessage(
  deps: SubmitMessageDeps,
  job: SendJob & { message: BatchJobMessage },
): Promise<SubmitOutcome> {
  const { accountId, messageId, message: carried } = job;
  const at = () => deps.clock.now().toISOString();
  const count = (outcome: 'sent' | 'failed' | 'cancelled' | 'superseded') =>
    deps.batchProgress?.(accountId, carried.batchId, outcome);
  const state = deps.batchState
    ? await deps.batchState(accountId, carried.batchId)
    : { status: 'running', sendGeneration: 0 };
  const stale = state?.status === 'running' && (carried.generation ?? 0) < state.sendGeneration;
  const held = state?.status === 'paused' || stale;
  if (held || state?.status !== 'running') {
    // A job is counted once. A redelivered pack (another of its jobs failed) may bring back a job that
    // was already submitted and counted `sent`: counting it again as dropped would over-count, end the
    // batch early and refund messages still waiting. One read, only on this rare dropping path.
    const existing = await deps.messages.get(accountId, messageId);
    if (existing && existing.status !== 'queued') return 'skipped';
    if (held || !existing) {
      // Held: a `queued` item waits for the resume too. A failed batch's sweep cannot have charged it:
      // it reads only after the batch left `running`/`paused` (so after this read and the give-back).
      await count(held ? 'superseded' : 'cancelled');
      return 'skipped';
    }
  }
  const message = submittedMessage(accountId, messageId, carried, at());
  const claim = await deps.messages.createSubmitted(message);
  if (!claim.created) {
    // Final, or `cancelled` by a settling batch's seal (settle-batch.ts): never to the carrier.
    if (claim.existing.status !== 'submitted') return 'skipped';
    if (!deps.carrier.idempotentReferences) return 'unconfirmed';
  }

  const result = await deps.carrier.submit({
    reference: message.reference,
    ...(message.validitySeconds ? { validitySeconds: message.validitySeconds } : {}),
    to: message.to,
    from: message.from,
    text: message.text,
    encoding: message.encoding,
    parts: message.parts,
  });
  switch (result.outcome) {
    case 'accepted':
      // A numeric sender's replies find the account through this route (alphanumeric: nothing written).
      await recordReplyRoute(deps, message, message.events.at(-1)?.at ?? at());
      if (claim.created) await deps.statusChanged?.(message, { status: 'submitted', at: at() });
      // A re-submission (a redelivered pack: the carrier replays its first answer) was counted already.
      if (claim.created) await count('sent');
      return 'submitted';
    case 'rejected': {
      const event = { status: 'rejected' as const, at: at(), reason: result.reason };
      const rejected = await deps.messages.advance(accountId, messageId, event);
      if (rejected) {
        await deps.statusChanged?.(rejected, event);
        await count('failed');
      }
      return 'rejected';
    }
    case 'throttled':
      await deps.messages.releaseSubmission(releasedMessage(message));
      throw new CarrierThrottled(result.retryAfterSeconds);
  }
}
