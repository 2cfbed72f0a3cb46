import { canReceiveReplies, replyAddress } from '#domain/inbound/reply-address';
import type { Message } from '#domain/message/message';
import type { CarrierGateway } from '#ports/carrier-gateway';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ReplyRoutes } from '#ports/inbound';
import type { LinkRepository } from '#ports/link-repository';
import type { MessageRepository } from '#ports/message-repository';
import type { SendJob } from '#ports/queues';
import type { StatusChanged } from './callbacks/status-callbacks';
import { submitBatchMessage } from './submit-batch-message';

export interface SubmitMessageDeps {
  readonly messages: MessageRepository;
  readonly carrier: CarrierGateway;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** For batch messages: whether their batch still sends (a stopped batch cancels what is queued). */
  readonly batchStatus?: (accountId: string, batchId: string) => Promise<string | undefined>;
  /** A batch's status and send generation (a resume bumps it), for jobs that carry their message. */
  readonly batchState?: (
    accountId: string,
    batchId: string,
  ) => Promise<{ status: string; sendGeneration: number } | undefined>;
  /** Counts a batch message's outcome at submission in its batch's progress. */
  readonly batchProgress?: (
    accountId: string,
    batchId: string,
    outcome: 'sent' | 'failed' | 'cancelled' | 'superseded',
  ) => Promise<void>;
  /** Status callbacks (a message with a `callbackUrl`); absent = none. */
  readonly statusChanged?: StatusChanged;
  /** Records who last sent to a number from a numeric sender, so its replies find the account. */
  readonly replyRoutes?: Pick<ReplyRoutes, 'recordLastSent'>;
  /** Makes a message's short/unsubscribe links permanent before it goes out (`Message.links`). */
  readonly links?: Pick<LinkRepository, 'attachMessage'>;
}

/** The carrier asked us to slow down; the job is retried after `retryAfterSeconds`, nothing is lost. */
export class CarrierThrottled extends Error {
  constructor(readonly retryAfterSeconds: number) {
    super(`Carrier throttled; retry after ${retryAfterSeconds}s`);
    this.name = 'CarrierThrottled';
  }
}

export type SubmitOutcome = 'submitted' | 'rejected' | 'skipped' | 'unconfirmed';

/**
 * Submits one queued message to the carrier, at most once per message however often the queue
 * delivers the job.
 * 1. Claim the message (conditional write). A job for a message already submitted or final is a
 *    redelivery: skip it. A batch message whose batch no longer runs (stopped) is cancelled and refunded.
 * 2. A second claim means an earlier attempt may have reached the carrier (a crash after the carrier
 *    accepted). Re-submit only to a carrier that recognises our reference (it answers with the first
 *    submission's ids and sends nothing); otherwise never re-submit: leave it `submitted` and unconfirmed,
 *    for the delivery report (which carries our reference) to settle.
 * 3. Submit. Accepted → `submitted` with the carrier ids (a DLR that overtook us is not undone);
 *    rejected → `rejected` and refunded in the same transaction; throttled → released and retried later.
 */
export async function submitMessage(deps: SubmitMessageDeps, job: SendJob): Promise<SubmitOutcome> {
  if (job.message) return submitBatchMessage(deps, { ...job, message: job.message });
  const { accountId, messageId } = job;
  const at = () => deps.clock.now().toISOString();
  const claim = await deps.messages.claimForSubmission(accountId, messageId, at());
  if (claim.outcome === 'not-submittable') return 'skipped';
  const message = claim.message;
  if (message.batchId && deps.batchStatus) {
    const status = await deps.batchStatus(accountId, message.batchId);
    if (status !== 'running') {
      const event = {
        status: 'cancelled' as const,
        at: at(),
        reason: `BATCH_${(status ?? 'missing').toUpperCase()}`,
      };
      const cancelled = await deps.messages.finalize(message, event, {
        kind: 'refund',
        entryId: deps.ids.newId(),
        reason: 'Batch stopped before this message was sent',
        at: event.at,
      });
      if (cancelled) await deps.statusChanged?.(cancelled, event);
      await deps.batchProgress?.(accountId, message.batchId, 'cancelled');
      return 'skipped';
    }
  }
  await attachLinksBeforeSending(deps, claim);
  if (claim.outcome === 'already-claimed' && !deps.carrier.idempotentReferences) {
    const event = { status: 'submitted' as const, at: at(), reason: 'SUBMISSION_UNCONFIRMED' };
    const advanced = await deps.messages.advance(accountId, messageId, event);
    if (advanced) await deps.statusChanged?.(advanced, event);
    return 'unconfirmed';
  }

  const result = await deps.carrier.submit({
    reference: message.reference,
    ...(message.validitySeconds ? { validitySeconds: message.validitySeconds } : {}),
    to: message.to,
    from: message.from,
    text: message.carrierText ?? message.text,
    encoding: message.encoding,
    parts: message.parts,
  });

  switch (result.outcome) {
    case 'accepted': {
      const event = { status: 'submitted' as const, at: at() };
      // Before the status: once a message shows `submitted`, a reply to it finds its account.
      await recordReplyRoute(deps, message, event.at);
      const advanced = await deps.messages.advance(accountId, messageId, event, {
        carrierIds: result.carrierIds,
      });
      if (!advanced) await deps.messages.recordCarrierIds(accountId, messageId, result.carrierIds);
      else await deps.statusChanged?.(advanced, event);
      if (message.batchId) await deps.batchProgress?.(accountId, message.batchId, 'sent');
      return 'submitted';
    }
    case 'rejected': {
      const event = { status: 'rejected' as const, at: at(), reason: result.reason };
      const rejected = await deps.messages.finalize(message, event, {
        kind: 'refund',
        entryId: deps.ids.newId(),
        reason: `Rejected at submission: ${result.reason}`,
        at: event.at,
      });
      if (rejected) await deps.statusChanged?.(rejected, event);
      if (rejected && message.batchId) await deps.batchProgress?.(accountId, message.batchId, 'failed');
      return 'rejected';
    }
    case 'throttled':
      await deps.messages.releaseClaim(accountId, messageId);
      throw new CarrierThrottled(result.retryAfterSeconds);
  }
}

/**
 * The durable half of `attachLinks`: the API attached the links of an accepted message, but if that
 * failed only this makes them permanent before their TTL, so the message is not sent until it succeeds
 * (idempotent: usually a repeat). On failure a fresh claim is given back (the carrier has not been
 * called) and the job retries through the queue; a repeated claim stays as it was.
 */
async function attachLinksBeforeSending(
  deps: SubmitMessageDeps,
  claim: { outcome: 'claimed' | 'already-claimed'; message: Message },
): Promise<void> {
  const { message } = claim;
  if (!message.links || !deps.links) return;
  try {
    await deps.links.attachMessage(message.links, message.id);
  } catch (error) {
    if (claim.outcome === 'claimed') await deps.messages.releaseClaim(message.accountId, message.id);
    throw error;
  }
}

/**
 * "Last sent to <number> from <sender>", for routing its replies. Only a numeric sender can be replied
 * to, so messages from an alphanumeric sender (most campaigns) write nothing here.
 */
export async function recordReplyRoute(
  deps: SubmitMessageDeps,
  message: { accountId: string; id: string; from: string; to: string },
  at: string,
): Promise<void> {
  if (!deps.replyRoutes || !canReceiveReplies(message.from)) return;
  const address = replyAddress(message.from);
  if (address === undefined) return;
  try {
    await deps.replyRoutes.recordLastSent({
      address,
      to: message.to,
      accountId: message.accountId,
      messageId: message.id,
      at,
    });
  } catch {
    // The message is out; failing now would only retry a finished job. A reply to it may go unrouted.
  }
}
