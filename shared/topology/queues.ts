import type { FunctionName } from './functions';

/** One SQS queue with its dead-letter queue and the Lambda that consumes it. */
export interface QueueSpec {
  /** Logical name; local queue name, and the suffix of the deployed one. */
  readonly name: string;
  /** Environment variable through which producers get the queue URL. */
  readonly urlEnv: string;
  /** The consumer function (an SQS event source mapping in AWS, the poller locally). */
  readonly consumer: FunctionName;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Receives before a message goes to the DLQ. AWS guidance: at least 5. */
  readonly maxReceiveCount: number;
  /** Kept in the DLQ this long (14 days, the maximum) so an operator can redrive. */
  readonly dlqRetentionDays: number;
}

/**
 * Every queue, declared once for `infra/`, the local stack and the tests.
 * The visibility timeout is not declared here: it is derived from the consumer's timeout
 * (`visibilityTimeoutSeconds`), so it always follows AWS's ≥ 6× rule.
 */
export const QUEUES = {
  send: {
    name: 'send-messages',
    urlEnv: 'SEND_QUEUE_URL',
    consumer: 'submit-messages',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
  },
  deliveryReports: {
    name: 'delivery-reports',
    urlEnv: 'DLR_QUEUE_URL',
    consumer: 'apply-delivery-reports',
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
  },
  /** Verified inbound SMS (MO) from the carrier webhook. */
  inbound: {
    name: 'inbound-messages',
    urlEnv: 'INBOUND_QUEUE_URL',
    consumer: 'apply-inbound-messages',
    batchSize: 10,
    maxBatchingWindowSeconds: 1,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
  },
  /**
   * Customer callbacks (delivery statuses, replies; the sendSMS facade's `report_url`). A failed POST
   * comes back after 1, 2, 4 … s (visibility backoff, capped at 15 min): 10 attempts span ~17 minutes,
   * then the job waits in the DLQ for an operator redrive.
   */
  callbacks: {
    name: 'callbacks',
    urlEnv: 'CALLBACK_QUEUE_URL',
    consumer: 'dispatch-callbacks',
    batchSize: 10,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 10,
    dlqRetentionDays: 14,
  },
  /**
   * Results exports (`POST /v1/batches/{id}/exports`): one export per invocation (up to 15 minutes for a
   * million-row xlsx). The worker marks an export failed on its last receive, before the DLQ.
   */
  exports: {
    name: 'results-exports',
    urlEnv: 'EXPORT_QUEUE_URL',
    consumer: 'run-results-export',
    batchSize: 1,
    maxBatchingWindowSeconds: 0,
    maxReceiveCount: 5,
    dlqRetentionDays: 14,
  },
} as const satisfies Record<string, QueueSpec>;

export type QueueKey = keyof typeof QUEUES;

/** AWS: set the source queue's visibility timeout to at least six times the function's timeout. */
export const VISIBILITY_TIMEOUT_FACTOR = 6;
