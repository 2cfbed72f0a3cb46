import type { SQSClient } from '@aws-sdk/client-sqs';
import type { ExportQueue } from '#ports/results-exports';
import { sendJsonBatch } from './json-queue';

/** The results-exports queue: one job (ids only) per export. */
export function makeSqsExportQueue(options: { client: SQSClient; queueUrl: string }): ExportQueue {
  return { enqueue: (job) => sendJsonBatch(options.client, options.queueUrl, [{ body: job }]) };
}
