import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  Context,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { signWebhook } from '#adapters/carrier-sim/webhook-signature';

/** The event fixtures and mocked-SDK arrangements the handler tests (test/handlers) share. */

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2>;
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse>;

/** `functions/<name>/handler.ts`'s handler; import it after handlerEnv(), as its module scope reads it. */
export async function loadHandler<H>(name: string): Promise<H> {
  return ((await import(`../../functions/${name}/handler.ts`)) as { handler: H }).handler;
}

/** A JSON event fixture (events/**) as the handler's event type. */
export const asEvent = <E>(fixture: unknown) => fixture as E;

/**
 * A carrier webhook request (events/api/receive-*.json) signed now with handlerEnv()'s carrier secret,
 * so the webhook accepts it; the fixture itself carries no signature and is refused.
 */
export function signedWebhook(fixture: { body: string; headers: Record<string, string> }) {
  const timestamp = String(Math.floor(Date.now() / 1000));
  const secret = process.env.CARRIER_WEBHOOK_SECRET ?? '';
  return asEvent<APIGatewayProxyEventV2>({
    ...fixture,
    headers: {
      ...fixture.headers,
      'x-sim-timestamp': timestamp,
      'x-sim-signature': signWebhook(secret, timestamp, fixture.body),
    },
  });
}

/** The account item `acc1` as DynamoDB answers it (the fields every account has, then `fields`). */
export function accountItem(fields: Record<string, unknown> = {}) {
  return {
    id: 'acc1',
    name: 'Shop',
    status: 'active',
    country: 'RO',
    timezone: 'Europe/Bucharest',
    currency: 'EUR',
    maxParts: 10,
    createdAt: '2026-01-01T00:00:00.000Z',
    ...fields,
  };
}

/** SQS answers a consumer needs to make a failed record visible again soon (its queue URL, then OK). */
export function arrangeVisibilityRetry(sqs: AwsClientStub<SQSClient>, queue: string) {
  sqs
    .on(GetQueueUrlCommand)
    .resolves({ QueueUrl: `https://sqs.eu-central-1.amazonaws.com/123456789012/${queue}` });
  sqs.on(ChangeMessageVisibilityCommand).resolves({});
}
