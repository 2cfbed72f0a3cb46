import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadWebhookSecret } from '#adapters/carrier';
import { parseCarrierSimDeliveryReports } from '#adapters/carrier-sim/delivery-report';
import { makeSqsClient } from '#adapters/sqs/client';
import { makeSqsDeliveryReportQueue } from '#adapters/sqs/queues';
import { DeliveryReportQueueEnv, loadEnv, WebhookSecretEnv } from '#config/env';
import { verifiedCarrierWebhook } from '#http/carrier-webhook';
import { json } from '#http/json';
import { httpErrors } from '#http/middleware';
import { logger } from '#observability/logger';

const env = loadEnv(DeliveryReportQueueEnv.and(WebhookSecretEnv));
const secret = await loadWebhookSecret(env);
const queue = makeSqsDeliveryReportQueue({ client: makeSqsClient(), queueUrl: env.DLR_QUEUE_URL });

/**
 * Carrier DLR webhook. Public at the gateway, so it trusts nothing before the HMAC signature checks
 * out: a forged or stale report answers 401 and changes nothing. The body is one report or an array
 * of them; verified reports are only enqueued (fast answer to the carrier); the DLR consumer applies them.
 */
export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const { payload: reports } = verifiedCarrierWebhook(
    event,
    secret,
    'delivery report',
    parseCarrierSimDeliveryReports,
  );
  // One queue message for the whole request (one SQS request, one consumer invocation): docs/cost.md.
  await queue.enqueue(reports);
  return json(202, { accepted: reports.length });
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(httpErrors());
