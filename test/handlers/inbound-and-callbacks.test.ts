import {
  ChangeMessageVisibilityCommand,
  GetQueueUrlCommand,
  SendMessageBatchCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type {
  APIGatewayProxyEventV2,
  APIGatewayProxyStructuredResultV2,
  SQSBatchResponse,
  SQSEvent,
} from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { signWebhook, verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import webhookEvent from '../../events/api/receive-inbound-message.json' with { type: 'json' };
import inboundEvent from '../../events/sqs/apply-inbound-messages.json' with { type: 'json' };
import callbackEvent from '../../events/sqs/dispatch-callbacks.json' with { type: 'json' };
import { context, handlerEnv } from '../support/context';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
type Http = (e: APIGatewayProxyEventV2, c: typeof context) => Promise<APIGatewayProxyStructuredResultV2>;
type Sqs = (e: SQSEvent, c: typeof context) => Promise<SQSBatchResponse>;
let webhook: Http;
let inbound: Sqs;
let dispatch: Sqs;

const account = {
  pk: 'ACCOUNT#acc1',
  sk: 'ACCOUNT',
  id: 'acc1',
  name: 'Shop',
  status: 'active',
  country: 'RO',
  timezone: 'Europe/Bucharest',
  currency: 'EUR',
  senderIds: ['1898'],
  maxParts: 6,
  createdAt: '2026-11-01T00:00:00.000Z',
  billing: 'separate',
  receivesReplies: true,
  callbackUrl: 'https://hooks.example.com/sms',
};

describe('reply and callback handlers', () => {
  beforeAll(async () => {
    // No DNS in unit tests: the private-address check (which resolves the host) is unit-tested apart.
    handlerEnv({ CALLBACKS_ALLOW_PRIVATE_HOSTS: 'true' });
    const load = async (name: string) =>
      ((await import(`../../functions/${name}/handler.ts`)) as { handler: unknown }).handler;
    webhook = (await load('receive-inbound-message')) as Http;
    inbound = (await load('apply-inbound-messages')) as Sqs;
    dispatch = (await load('dispatch-callbacks')) as Sqs;
  });
  afterEach(() => {
    ddb.reset();
    sqs.reset();
    vi.unstubAllGlobals();
  });

  it('the MO webhook enqueues a correctly signed MO and refuses a forged one', async () => {
    sqs.on(SendMessageBatchCommand).resolves({});
    const timestamp = String(Math.floor(Date.now() / 1000));
    const signed = {
      ...webhookEvent,
      headers: {
        ...webhookEvent.headers,
        'x-sim-timestamp': timestamp,
        'x-sim-signature': signWebhook('test-webhook-secret-0123456789', timestamp, webhookEvent.body),
      },
    };
    expect((await webhook(signed as unknown as APIGatewayProxyEventV2, context)).statusCode).toBe(202);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    expect((await webhook(webhookEvent as unknown as APIGatewayProxyEventV2, context)).statusCode).toBe(401);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('a STOP reply is stored, blocklists the replier and is forwarded', async () => {
    ddb.on(BatchGetCommand).resolves({
      Responses: {
        'sms-platform-test': [
          { pk: 'REPLYTO#1898#+40722123456', accountId: 'acc1', messageId: 'm1', expiresAt: 4_000_000_000 },
        ],
      },
    });
    ddb.on(GetCommand).resolves({ Item: account });
    ddb.on(PutCommand).resolves({});
    sqs.on(SendMessageBatchCommand).resolves({});

    const result = await inbound(inboundEvent as unknown as SQSEvent, context);

    expect(result.batchItemFailures).toEqual([]);
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ pk: 'ACCOUNT#acc1#INBOUND', optOut: true, from: '+40722123456' }),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: 'BLOCK#+40722123456', reason: 'opt-out (STOP reply)' }),
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('the dispatcher signs and POSTs; a failure is retried soon with backoff', async () => {
    ddb.on(GetCommand).resolves({ Item: { secret: 'whsec_handler' } });
    const requests: { url: string; init: RequestInit }[] = [];
    const answers = [new Response('no', { status: 503 }), new Response('ok')];
    vi.stubGlobal('fetch', async (url: URL, init: RequestInit) => {
      requests.push({ url: String(url), init });
      return answers.shift() ?? new Response('ok');
    });
    sqs
      .on(GetQueueUrlCommand)
      .resolves({ QueueUrl: 'https://sqs.eu-central-1.amazonaws.com/123456789012/callbacks' });
    sqs.on(ChangeMessageVisibilityCommand).resolves({});

    const failed = await dispatch(callbackEvent as unknown as SQSEvent, context);
    expect(failed.batchItemFailures).toHaveLength(1);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { VisibilityTimeout: 1 });
    const retried = await dispatch(callbackEvent as unknown as SQSEvent, context);

    expect(retried.batchItemFailures).toEqual([]);
    expect(requests).toHaveLength(2);
    const headers = requests[1]?.init.headers as Record<string, string>;
    expect(requests[1]?.url).toBe('https://hooks.example.com/sms');
    expect(
      verifyWebhook({
        secret: 'whsec_handler',
        timestamp: headers['x-timestamp'],
        signature: headers['x-signature'],
        rawBody: String(requests[1]?.init.body),
        nowSeconds: Math.floor(Date.now() / 1000),
      }),
    ).toBe(true);
  });
});
