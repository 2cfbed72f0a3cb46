import { combinePartStatuses, statusFromDeliveryState } from '#domain/message/delivery-status';
import { isFinal, parseMessageReference } from '#domain/message/message';
import type { DeliveryReport } from '#ports/carrier-gateway';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { MessageRepository } from '#ports/message-repository';
import type { StatusChanged } from './callbacks/status-callbacks';

export interface ApplyDeliveryReportDeps {
  readonly messages: MessageRepository;
  readonly ids: IdGenerator;
  /** The time of the settle/refund ledger entry (a report's own `at` is the carrier's clock). */
  readonly clock: Clock;
  /** Counts a batch message's final outcome in its batch's progress. */
  readonly batchOutcome?: (
    accountId: string,
    batchId: string,
    outcome: 'delivered' | 'failed',
  ) => Promise<void>;
  /** Status callbacks (a message with a `callbackUrl`); absent = none. */
  readonly statusChanged?: StatusChanged;
}

export type ApplyOutcome = 'applied' | 'ignored' | 'unknown-message' | 'waiting-for-parts';

/**
 * Applies one verified delivery report. Monotonic and idempotent: duplicates and late intermediate
 * states change nothing (the repository only moves a status forward), and a report that arrives
 * before the submit answer was stored still applies (the message is found by our reference).
 * 1. Find the message by the reference the carrier echoed.
 * 2. Intermediate state → at most `submitted`. Final state of a single-part message → that status.
 *    A message reported per part records each part and takes the worst part's outcome once all are final.
 * 3. A final status settles the reserved cost (or refunds it when rejected) in the same transaction;
 *    a batch message's final status is only recorded (its batch settles once, from the statuses).
 */
export async function applyDeliveryReport(
  deps: ApplyDeliveryReportDeps,
  report: DeliveryReport,
): Promise<ApplyOutcome> {
  const ref = parseMessageReference(report.reference);
  if (!ref) return 'unknown-message';
  const message = await deps.messages.get(ref.accountId, ref.messageId);
  if (!message) return 'unknown-message';

  const status = statusFromDeliveryState(report.state);
  let target = status;
  // Parts as the carrier reports them: one report per part (SMPP) or one for the whole message (EUM).
  if (status !== 'submitted' && report.parts > 1) {
    const states = await deps.messages.recordPartState(
      ref.accountId,
      ref.messageId,
      report.part,
      status,
      message.batchId ? report.carrierId : undefined,
    );
    const combined = states && combinePartStatuses(states, report.parts);
    if (!combined) return 'waiting-for-parts';
    target = combined;
  }
  const reason = report.error && target !== 'delivered' ? `carrier error ${report.error}` : undefined;
  const event = { status: target, at: report.at, ...(reason && target !== 'submitted' ? { reason } : {}) };
  if (!isFinal(target)) {
    const advanced = await deps.messages.advance(ref.accountId, ref.messageId, event);
    if (advanced) await deps.statusChanged?.(advanced, event);
    return advanced ? 'applied' : 'ignored';
  }
  const finalized = message.batchId
    ? // A batch message's money moves with its batch (one settlement from the final statuses): only
      // the status changes, with the carrier id the report names (several parts: gathered per part).
      await deps.messages.advance(
        ref.accountId,
        ref.messageId,
        event,
        report.parts > 1 ? undefined : { carrierIds: [report.carrierId] },
      )
    : // Final: settle what was reserved (delivered, undelivered, expired: the network took it) or refund
      // it (rejected: the network refused it), atomically with the status change, so exactly once.
      await deps.messages.finalize(message, event, {
        kind: target === 'rejected' || target === 'failed' ? 'refund' : 'settle',
        entryId: deps.ids.newId(),
        reason:
          target === 'rejected' || target === 'failed' ? 'Rejected by the network' : `Settled: ${target}`,
        // Our clock, not the report's: the event keeps the carrier's time, the ledger keeps ours.
        at: deps.clock.now().toISOString(),
      });
  if (!finalized) return 'ignored';
  // After a message's status changed (final):
  await deps.statusChanged?.(finalized, event);
  if (message.batchId && deps.batchOutcome) {
    await deps.batchOutcome(ref.accountId, message.batchId, target === 'delivered' ? 'delivered' : 'failed');
  }
  return 'applied';
}
