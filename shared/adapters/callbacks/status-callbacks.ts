import type { SQSClient } from '@aws-sdk/client-sqs';
import { makeSqsCallbackQueue } from '#adapters/sqs/callback-queues';
import { CallbackQueueEnv } from '#config/callback-env';
import { loadEnv } from '#config/env';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { makeStatusCallbacks, type StatusChanged } from '#use-cases/callbacks/status-callbacks';

/** The status-change hook of a send-path function, on the callbacks queue from CALLBACK_QUEUE_URL. */
export function statusCallbacksFromEnv(client: SQSClient, env = loadEnv(CallbackQueueEnv)): StatusChanged {
  return makeStatusCallbacks(
    makeSqsCallbackQueue({ client, queueUrl: env.CALLBACK_QUEUE_URL }),
    (error, message) => {
      logger.error('Status callback not enqueued', { error: error as Error, messageId: message.id });
      metrics.addMetric('CallbackEnqueueFailed', 'Count', 1);
    },
  );
}
