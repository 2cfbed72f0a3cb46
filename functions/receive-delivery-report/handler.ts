import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { loadWebhookSecret } from '#adapters/carrier';
import { parseCarrierSimDeliveryReports } from '#adapters/carrier-sim/delivery-report';
import { verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import { makeSqsClient } from '#adapters/sqs/client';
import { makeSqsDeliveryReportQueue } from '#adapters/sqs/queues';
import { DeliveryReportQueueEnv, loadEnv, WebhookSecretEnv } from '#config/env';
import { Unauthorized, ValidationFailed } from '#domain/errors';
import { json } from '#http/json';
import { httpErrors, rawBody } from '#http/middleware';
import { logger } from '#observability/logger';

const env = loadEnv(DeliveryReportQueueEnv.and(WebhookSecretEnv));
const secret = await loadWebhookSecret(env);
const queue = makeSqsDeliveryReportQueue({ client: makeSqsClient(), queueUrl: env.DLR_QUEUE_URL });
const Carrier = z.literal('sim');

/**
 * Carrier DLR webhook. Public at the gateway, so it trusts nothing before the HMAC signature checks
 * out: a forged or stale report answers 401 and changes nothing. The body is one report or an array
 * of them; verified reports are only enqueued (fast answer to the carrier); the DLR consumer applies them.
 */
export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  if (!Carrier.safeParse(event.pathParameters?.carrier).success)
    throw new ValidationFailed('Unknown carrier');
  const body = rawBody(event);
  const valid = verifyWebhook({
    secret,
    timestamp: event.headers['x-sim-timestamp'] ?? '',
    signature: event.headers['x-sim-signature'] ?? '',
    rawBody: body,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (!valid) throw new Unauthorized('Invalid webhook signature');
  let reports: ReturnType<typeof parseCarrierSimDeliveryReports>;
  try {
    reports = parseCarrierSimDeliveryReports(body);
  } catch (cause) {
    throw new ValidationFailed('Unreadable delivery report', { cause });
  }
  // One queue message for the whole request (one SQS request, one consumer invocation): docs/cost.md.
  await queue.enqueue(reports);
  return json(202, { accepted: reports.length });
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(httpErrors());
