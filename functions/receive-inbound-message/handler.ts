import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { loadWebhookSecret } from '#adapters/carrier';
import { parseCarrierSimMo } from '#adapters/carrier-sim/delivery-report';
import { verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import { makeSqsInboundQueue } from '#adapters/sqs/callback-queues';
import { makeSqsClient } from '#adapters/sqs/client';
import { InboundQueueEnv } from '#config/callback-env';
import { loadEnv, WebhookSecretEnv } from '#config/env';
import { Unauthorized, ValidationFailed } from '#domain/errors';
import { json } from '#http/json';
import { httpErrors, rawBody } from '#http/middleware';
import { logger } from '#observability/logger';

const env = loadEnv(InboundQueueEnv.and(WebhookSecretEnv));
const secret = await loadWebhookSecret(env);
const queue = makeSqsInboundQueue({ client: makeSqsClient(), queueUrl: env.INBOUND_QUEUE_URL });
const Carrier = z.literal('sim');

/**
 * Carrier MO webhook, the twin of the DLR webhook: nothing is trusted before the HMAC signature checks
 * out (401 otherwise); a verified MO is only enqueued, so the carrier gets its answer at once and the
 * inbound consumer routes and stores it.
 */
export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const carrier = Carrier.safeParse(event.pathParameters?.carrier);
  if (!carrier.success) throw new ValidationFailed('Unknown carrier');
  const body = rawBody(event);
  const valid = verifyWebhook({
    secret,
    timestamp: event.headers['x-sim-timestamp'] ?? '',
    signature: event.headers['x-sim-signature'] ?? '',
    rawBody: body,
    nowSeconds: Math.floor(Date.now() / 1000),
  });
  if (!valid) throw new Unauthorized('Invalid webhook signature');
  let mo: ReturnType<typeof parseCarrierSimMo>;
  try {
    mo = parseCarrierSimMo(body);
  } catch (cause) {
    throw new ValidationFailed('Unreadable inbound message', { cause });
  }
  await queue.enqueue([{ carrier: carrier.data, ...mo }]);
  return json(202, { accepted: true });
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(httpErrors());
