import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { z } from 'zod';
import { verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import { Unauthorized, ValidationFailed } from '#domain/errors';
import { rawBody } from './middleware';

const Carrier = z.literal('sim');

/**
 * The carrier webhooks (DLR and MO) are public at the gateway, so nothing of a request is trusted before
 * its HMAC signature checks out: an unknown carrier is a 400, a forged or stale signature a 401; then
 * `parse` reads the verified body, and an unreadable one is a 400 named after `what`.
 */
export function verifiedCarrierWebhook<T>(
  event: APIGatewayProxyEventV2,
  secret: string,
  what: string,
  parse: (body: string) => T,
): { carrier: z.infer<typeof Carrier>; payload: T } {
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
  try {
    return { carrier: carrier.data, payload: parse(body) };
  } catch (cause) {
    throw new ValidationFailed(`Unreadable ${what}`, { cause });
  }
}
