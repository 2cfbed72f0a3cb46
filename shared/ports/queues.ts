import type { DeliveryReport } from './carrier-gateway';

/** Work item on the send queue: ids only; the message itself is read from the table. */
export interface SendJob {
  readonly accountId: string;
  readonly messageId: string;
}

export interface SendQueue {
  enqueue(jobs: readonly SendJob[]): Promise<void>;
}

export interface DeliveryReportQueue {
  enqueue(reports: readonly DeliveryReport[]): Promise<void>;
}
