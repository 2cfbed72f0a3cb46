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
 *    redelivery: skip it.
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
      return 'submitted';
    }
    case 'rejected': {
      await deps.messages.finalize(
        message,
        { status: 'rejected', at: at(), reason: result.reason },
        { kind: 'refund', entryId: deps.ids.newId(), reason: `Rejected at submission: ${result.reason}` },
      );
      return 'rejected';
    }
    case 'throttled':
      await deps.messages.releaseClaim(accountId, messageId);
      throw new CarrierThrottled(result.retryAfterSeconds);
  }
}
