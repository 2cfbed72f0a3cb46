import type { SQSClient } from '@aws-sdk/client-sqs';
import type { CallbackJob } from '#domain/callbacks/callback';
import type { ReceivedMo } from '#domain/inbound/inbound-message';
import type { CallbackQueue } from '#ports/callbacks';
import type { InboundQueue } from '#ports/inbound';
import { sendJsonBatch } from './json-queue';

/** The callbacks queue: one job per SQS message, so each callback retries and dead-letters alone. */
export function makeSqsCallbackQueue(options: { client: SQSClient; queueUrl: string }): CallbackQueue {
  return {
    enqueue: (jobs: readonly CallbackJob[]) =>
      sendJsonBatch(
        options.client,
        options.queueUrl,
        jobs.map((job) => ({ body: job })),
      ),
  };
}

/** The inbound queue: verified MOs, `{ kind: 'mo', mo }`. */
export function makeSqsInboundQueue(options: { client: SQSClient; queueUrl: string }): InboundQueue {
  return {
    enqueue: (mos: readonly ReceivedMo[]) =>
      sendJsonBatch(
        options.client,
        options.queueUrl,
        mos.map((mo) => ({ body: { kind: 'mo', mo } })),
      ),
  };
}
