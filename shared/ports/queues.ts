import type { Encoding } from '#domain/message/encoding';
import type { DeliveryReport } from './carrier-gateway';

/**
 * A batch message travels inside its job: its item is written only when it is submitted (one
 * conditional Put that is also the claim), never when it is enqueued (docs/cost.md).
 */
export interface BatchJobMessage {
  readonly batchId: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly encoding: Encoding;
  readonly parts: number;
  /** Integer 1/10000 units; paid by the batch's reservation, settled with the batch. */
  readonly cost: number;
  readonly fundedBy: string;
  /** When the job was enqueued (the message's `queued` event). */
  readonly queuedAt: string;
  readonly validitySeconds?: number;
  /** Status changes are POSTed here (the account's URL when its delivery callbacks are on). */
  readonly callbackUrl?: string;
  /** The batch's send generation when enqueued: a job of an older one is dropped (pause/resume). */
  readonly generation?: number;
  /** The row's `client_reference` and `report_url` (+ the batch's mask): only rows that have them. */
  readonly clientReference?: string;
  readonly report?: { readonly url: string; readonly mask: number };
}

/**
 * Work item on the send queue. A single message's job carries ids only (its item exists since the
 * API accepted it); a batch message's job carries the message itself (`message`).
 */
export interface SendJob {
  readonly accountId: string;
  readonly messageId: string;
  readonly message?: BatchJobMessage;
  /** Paces a batch: the job becomes visible this many seconds later (SQS DelaySeconds, ≤ 900). */
  readonly delaySeconds?: number;
  /** A scheduled message: the sender puts the job back until this instant (ISO UTC). */
  readonly notBefore?: string;
}

export interface SendQueue {
  enqueue(jobs: readonly SendJob[]): Promise<void>;
}

export interface DeliveryReportQueue {
  /** One queue message per call, however many reports (a carrier's batched webhook request). */
  enqueue(reports: readonly DeliveryReport[]): Promise<void>;
}
