import type { DeliveryReport } from './carrier-gateway';

/** Work item on the send queue: ids only; the message itself is read from the table. */
export interface SendJob {
  readonly accountId: string;
  readonly messageId: string;
  /** Paces a batch: the job becomes visible this many seconds later (SQS DelaySeconds, ≤ 900). */
  readonly delaySeconds?: number;
  /** A scheduled message: the sender puts the job back until this instant (ISO UTC). */
  readonly notBefore?: string;
}

export interface SendQueue {
  enqueue(jobs: readonly SendJob[]): Promise<void>;
}

export interface DeliveryReportQueue {
  enqueue(reports: readonly DeliveryReport[]): Promise<void>;
}
