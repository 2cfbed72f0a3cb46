import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';

/**
 * A Step Functions task handler: plain data in, plain data out, no HTTP shaping. Errors propagate with
 * their class name, which is what the state machine's Retry/Catch match on.
 */
export function workflowTask<I, O>(inner: (input: I) => Promise<O>) {
  return middy(inner)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics));
}
