import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryReport } from '#ports/carrier-gateway';
import type { DeliveryReportQueue, SendJob, SendQueue } from '#ports/queues';
import { sendJsonBatch } from './json-queue';

export function makeSqsSendQueue(options: { client: SQSClient; queueUrl: string }): SendQueue {
  return {
    enqueue: (jobs: readonly SendJob[]) =>
      sendJsonBatch(
        options.client,
        options.queueUrl,
        jobs.map(({ delaySeconds, ...job }) => ({ body: job, ...(delaySeconds ? { delaySeconds } : {}) })),
      ),
  };
}

export function makeSqsDeliveryReportQueue(options: {
  client: SQSClient;
  queueUrl: string;
}): DeliveryReportQueue {
  return {
    enqueue: (reports: readonly DeliveryReport[]) =>
      sendJsonBatch(
        options.client,
        options.queueUrl,
        reports.map((report) => ({ body: { kind: 'report', report } })),
      ),
  };
}
