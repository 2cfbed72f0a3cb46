import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import { BatchGetCommand, DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import webhookEvent from '../../events/api/receive-inbound-message.json' with { type: 'json' };
import inboundEvent from '../../events/sqs/apply-inbound-messages.json' with { type: 'json' };
import callbackEvent from '../../events/sqs/dispatch-callbacks.json' with { type: 'json' };
import { context, handlerEnv } from '../support/context';
import {
  accountItem,
  arrangeVisibilityRetry,
  asEvent,
  type HttpHandler,
  loadHandler,
  type SqsHandler,
  signedWebhook,
} from '../support/handler-fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let webhook: HttpHandler;
let inbound: SqsHandler;
let dispatch: SqsHandler;

const account = accountItem({
  pk: 'ACCOUNT#acc1',
  sk: 'ACCOUNT',
  senderIds: ['1898'],
  maxParts: 6,
  createdAt: '2026-11-01T00:00:00.000Z',
  billing: 'separate',
  receivesReplies: true,
  callbackUrl: 'https://hooks.example.com/sms',
});

describe('reply and callback handlers', () => {
  beforeAll(async () => {
    // No DNS in unit tests: the private-address check (which resolves the host) is unit-tested apart.
    handlerEnv({ CALLBACKS_ALLOW_PRIVATE_HOSTS: 'true' });
    webhook = await loadHandler('receive-inbound-message');
    inbound = await loadHandler('apply-inbound-messages');
    dispatch = await loadHandler('dispatch-callbacks');
  });
  afterEach(() => {
    ddb.reset();
    sqs.reset();
    vi.unstubAllGlobals();
  });

  it('the MO webhook enqueues a correctly signed MO and refuses a forged one', async () => {
    sqs.on(SendMessageBatchCommand).resolves({});
    expect((await webhook(signedWebhook(webhookEvent), context)).statusCode).toBe(202);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
    expect((await webhook(asEvent<APIGatewayProxyEventV2>(webhookEvent), context)).statusCode).toBe(401);
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

    const result = await inbound(asEvent<SQSEvent>(inboundEvent), context);

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
    arrangeVisibilityRetry(sqs, 'callbacks');

    const failed = await dispatch(asEvent<SQSEvent>(callbackEvent), context);
    expect(failed.batchItemFailures).toHaveLength(1);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { VisibilityTimeout: 1 });
    const retried = await dispatch(asEvent<SQSEvent>(callbackEvent), context);

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
