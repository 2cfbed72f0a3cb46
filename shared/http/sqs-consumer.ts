import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { SQSEvent, SQSRecord } from 'aws-lambda';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';

/**
 * An SQS consumer in the house shape: one use-case call per record (`processRecord`), failed records
 * reported as partial batch failures (never the whole batch, even when all fail), Powertools logging,
 * tracing and metrics.
 */
export function sqsConsumer(
  processRecord: (record: SQSRecord) => Promise<void>,
  hooks: {
    /** Before the event batch's records (e.g. forget per-invocation caches). */
    beforeBatch?: () => void;
    /** After all records, whatever their outcome (e.g. write aggregated counters once). */
    afterBatch?: () => Promise<void>;
  } = {},
) {
  // One processor per invocation: a BatchProcessor keeps the batch's state, and the local poller may run
  // overlapping invocations in one process (Lambda never does), which would mix their failures.
  return middy(async (event: SQSEvent) => {
    hooks.beforeBatch?.();
    try {
      return await processPartialResponse(event, processRecord, new BatchProcessor(EventType.SQS), {
        throwOnFullBatchFailure: false,
      });
    } finally {
      await hooks.afterBatch?.();
    }
  })
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}
