import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { makeSettleDeps } from '#adapters/workflow-deps';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';
import { recoverBatchRun } from '#use-cases/batches/recover-batch-run';
import { parseEndedRun } from './event';

const deps = makeSettleDeps();

/**
 * EventBridge "Step Functions Execution Status Change" (FAILED, TIMED_OUT, ABORTED) of analyse-batch and
 * send-batch → the batch is failed and settled unless its run already did it (docs/workflows.md). An error
 * fails the invocation: EventBridge retries it, then the rule's dead-letter queue keeps the event.
 */
export const handler = middy(async (event: unknown) => {
  const run = parseEndedRun(event);
  const result = await recoverBatchRun(deps, run);
  if (result.recovered) {
    logger.error('A batch workflow run ended without settling its batch; failed and settled it', {
      batchId: run.input.batchId,
      accountId: run.input.accountId,
      runStatus: run.status,
      reason: result.reason,
    });
    metrics.addMetric('BatchRunsRecovered', 'Count', 1);
  }
  return result;
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics));
