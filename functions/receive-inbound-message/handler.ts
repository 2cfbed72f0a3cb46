import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { loadWebhookSecret } from '#adapters/carrier';
import { parseCarrierSimMo } from '#adapters/carrier-sim/delivery-report';
import { makeSqsInboundQueue } from '#adapters/sqs/callback-queues';
import { makeSqsClient } from '#adapters/sqs/client';
import { InboundQueueEnv } from '#config/callback-env';
import { loadEnv, WebhookSecretEnv } from '#config/env';
import { verifiedCarrierWebhook } from '#http/carrier-webhook';
import { json } from '#http/json';
import { httpErrors } from '#http/middleware';
import { logger } from '#observability/logger';

const env = loadEnv(InboundQueueEnv.and(WebhookSecretEnv));
const secret = await loadWebhookSecret(env);
const queue = makeSqsInboundQueue({ client: makeSqsClient(), queueUrl: env.INBOUND_QUEUE_URL });

/**
 * Carrier MO webhook, the twin of the DLR webhook: nothing is trusted before the HMAC signature checks
 * out (401 otherwise); a verified MO is only enqueued, so the carrier gets its answer at once and the
 * inbound consumer routes and stores it.
 */
export const handler = middy(async (event: APIGatewayProxyEventV2) => {
  const { carrier, payload } = verifiedCarrierWebhook(event, secret, 'inbound message', parseCarrierSimMo);
  await queue.enqueue([{ carrier, ...payload }]);
  return json(202, { accepted: true });
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(httpErrors());
