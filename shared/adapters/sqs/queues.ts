import type { SQSClient } from '@aws-sdk/client-sqs';
import type { DeliveryReport } from '#ports/carrier-gateway';
import type { DeliveryReportQueue, SendJob, SendQueue } from '#ports/queues';
import { sendJsonBatch } from './json-queue';

/**
 * Jobs packed into one queue message: consecutive jobs with the same SQS delay (a batch's jobs due
 * within the same second) travel together, so a batch costs ~0.03 SQS requests per message instead of
 * 0.3 (send, receive and delete per message: docs/cost.md). The sender handles them in order, each at
 * its own `notBefore`.
 */
export const JOBS_PER_MESSAGE = 10;

export function makeSqsSendQueue(options: { client: SQSClient; queueUrl: string }): SendQueue {
  return {
    enqueue: (jobs: readonly SendJob[]) =>
      sendJsonBatch(
        options.client,
        options.queueUrl,
        packJobs(jobs).map(({ delaySeconds, jobs: packed }) => ({
          body: packed.length === 1 ? packed[0] : { jobs: packed },
          ...(delaySeconds ? { delaySeconds } : {}),
        })),
      ),
  };
}

export function packJobs(jobs: readonly SendJob[]): { delaySeconds: number; jobs: SendJob[] }[] {
  const packs: { delaySeconds: number; jobs: SendJob[] }[] = [];
  for (const { delaySeconds = 0, ...job } of jobs) {
    const last = packs.at(-1);
    if (last && last.delaySeconds === delaySeconds && last.jobs.length < JOBS_PER_MESSAGE)
      last.jobs.push(job);
    else packs.push({ delaySeconds, jobs: [job] });
  }
  return packs;
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
        groups(reports).map((group) => ({ body: { kind: 'reports', reports: group } })),
      ),
  };
}

/**
 * Reports per queue message: a report is ~250 bytes of JSON, so 500 stay well under SQS's 256 KB
 * message limit. A webhook request of up to 500 reports is one queue message (one SQS request).
 */
export const REPORTS_PER_MESSAGE = 500;

function groups<T>(items: readonly T[]): T[][] {
  const out: T[][] = [];
  for (let i = 0; i < items.length; i += REPORTS_PER_MESSAGE)
    out.push(items.slice(i, i + REPORTS_PER_MESSAGE));
  return out;
}
