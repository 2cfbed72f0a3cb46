import type { CarrierGateway } from '#ports/carrier-gateway';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { MessageRepository } from '#ports/message-repository';
import type { SendJob } from '#ports/queues';

export interface SubmitMessageDeps {
  readonly messages: MessageRepository;
  readonly carrier: CarrierGateway;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** For batch messages: whether their batch still sends (a stopped batch cancels what is queued). */
  readonly batchStatus?: (accountId: string, batchId: string) => Promise<string | undefined>;
  /** Counts a batch message's outcome at submission in its batch's progress. */
  readonly batchProgress?: (
    accountId: string,
    batchId: string,
    outcome: 'sent' | 'failed' | 'cancelled',
  ) => Promise<void>;
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
  const { accountId, messageId } = job;
  const at = () => deps.clock.now().toISOString();
  const claim = await deps.messages.claimForSubmission(accountId, messageId, at());
  if (claim.outcome === 'not-submittable') return 'skipped';
  const message = claim.message;
  if (message.batchId && deps.batchStatus) {
    const status = await deps.batchStatus(accountId, message.batchId);
    if (status !== 'running') {
      await deps.messages.finalize(
        message,
        { status: 'cancelled', at: at(), reason: `BATCH_${(status ?? 'missing').toUpperCase()}` },
        { kind: 'refund', entryId: deps.ids.newId(), reason: 'Batch stopped before this message was sent' },
      );
      await deps.batchProgress?.(accountId, message.batchId, 'cancelled');
      return 'skipped';
    }
  }
  if (claim.outcome === 'already-claimed' && !deps.carrier.idempotentReferences) {
    await deps.messages.advance(accountId, messageId, {
      status: 'submitted',
      at: at(),
      reason: 'SUBMISSION_UNCONFIRMED',
    });
    return 'unconfirmed';
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
    case 'accepted': {
      const advanced = await deps.messages.advance(
        accountId,
        messageId,
        { status: 'submitted', at: at() },
        { carrierIds: result.carrierIds },
      );
      if (!advanced) await deps.messages.recordCarrierIds(accountId, messageId, result.carrierIds);
      if (message.batchId) await deps.batchProgress?.(accountId, message.batchId, 'sent');
      return 'submitted';
    }
    case 'rejected': {
      const rejected = await deps.messages.finalize(
        message,
        { status: 'rejected', at: at(), reason: result.reason },
        { kind: 'refund', entryId: deps.ids.newId(), reason: `Rejected at submission: ${result.reason}` },
      );
      if (rejected && message.batchId) await deps.batchProgress?.(accountId, message.batchId, 'failed');
      return 'rejected';
    }
    case 'throttled':
      await deps.messages.releaseClaim(accountId, messageId);
      throw new CarrierThrottled(result.retryAfterSeconds);
  }
}
