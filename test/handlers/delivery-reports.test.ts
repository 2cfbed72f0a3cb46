import { PinpointSMSVoiceV2Client, SendTextMessageCommand } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { ChangeMessageVisibilityCommand, SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2, SQSEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import webhookEvent from '../../events/api/receive-delivery-report.json' with { type: 'json' };
import dlrEvent from '../../events/sqs/apply-delivery-reports.json' with { type: 'json' };
import submitEvent from '../../events/sqs/submit-messages.json' with { type: 'json' };
import { context, handlerEnv } from '../support/context';
import {
  arrangeVisibilityRetry,
  asEvent,
  type HttpHandler,
  loadHandler,
  type SqsHandler,
  signedWebhook,
} from '../support/handler-fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
const eum = mockClient(PinpointSMSVoiceV2Client);
let webhook: HttpHandler;
let submit: SqsHandler;
let apply: SqsHandler;

const messageItem = {
  id: '01JDXAMPLE0000000000000000',
  accountId: '01JDACCOUNT000000000000000',
  to: '+40722123456',
  from: 'DemoShop',
  text: 'Comanda #1042 a fost expediata.',
  encoding: 'GSM-7',
  parts: 1,
  cost: 450,
  pricePerPart: 450,
  currency: 'EUR',
  status: 'queued',
  createdAt: '2026-11-24T10:00:00.000Z',
  events: [],
  reference: '01JDACCOUNT000000000000000.01JDXAMPLE0000000000000000',
};

describe('carrier-facing handlers', () => {
  beforeAll(async () => {
    handlerEnv();
    webhook = await loadHandler('receive-delivery-report');
    submit = await loadHandler('submit-messages');
    apply = await loadHandler('apply-delivery-reports');
  });
  afterEach(() => {
    ddb.reset();
    sqs.reset();
    eum.reset();
  });

  it('the DLR webhook enqueues a correctly signed report', async () => {
    sqs.on(SendMessageBatchCommand).resolves({});
    const response = await webhook(signedWebhook(webhookEvent), context);
    expect(response.statusCode).toBe(202);
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('the DLR webhook refuses a forged report (401) and enqueues nothing', async () => {
    const response = await webhook(asEvent<APIGatewayProxyEventV2>(webhookEvent), context);
    expect(response.statusCode).toBe(401);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ error: { code: 'UNAUTHORIZED' } });
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('the sender claims, submits through End User Messaging with our reference, and records the id', async () => {
    ddb
      .on(UpdateCommand, { UpdateExpression: 'SET claimedAt = :at ADD submitAttempts :one' })
      .resolves({ Attributes: messageItem });
    ddb.on(UpdateCommand).resolves({ Attributes: { ...messageItem, status: 'submitted' } });
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'eum-1' });

    const result = await submit(asEvent<SQSEvent>(submitEvent), context);

    expect(result.batchItemFailures).toEqual([]);
    expect(eum).toHaveReceivedCommandWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+40722123456',
      MessageBody: 'Comanda #1042 a fost expediata.',
      Context: { reference: messageItem.reference },
    });
  });

  it('the sender reports only the failed record and makes it visible again soon', async () => {
    ddb.on(UpdateCommand).rejects(new Error('throttled'));
    arrangeVisibilityRetry(sqs, 'send-messages');
    const oneRecord = { Records: [submitEvent.Records[0]] };

    const result = await submit(asEvent<SQSEvent>(oneRecord), context);

    expect(result.batchItemFailures).toEqual([{ itemIdentifier: submitEvent.Records[0]?.messageId }]);
    expect(sqs).toHaveReceivedCommandWith(ChangeMessageVisibilityCommand, { VisibilityTimeout: 1 });
    expect(eum).not.toHaveReceivedCommand(SendTextMessageCommand);
  });

  it('the DLR consumer settles a delivered message with its status change in one transaction', async () => {
    ddb.on(GetCommand).resolves({ Item: { ...messageItem, status: 'submitted' } });
    ddb.on(TransactWriteCommand).resolves({});

    const result = await apply(asEvent<SQSEvent>(dlrEvent), context);

    expect(result.batchItemFailures).toEqual([]);
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: expect.arrayContaining([
        expect.objectContaining({
          Update: expect.objectContaining({
            ConditionExpression: expect.stringContaining('statusRank < :rank'),
            ExpressionAttributeValues: expect.objectContaining({ ':status': 'delivered', ':rank': 9 }),
          }),
        }),
        expect.objectContaining({
          Update: expect.objectContaining({
            Key: { pk: `ACCOUNT#${messageItem.accountId}`, sk: 'ACCOUNT' },
            UpdateExpression: 'ADD reserved :minus, spent :amount',
            ExpressionAttributeValues: { ':minus': -450, ':amount': 450 },
          }),
        }),
      ]),
    });
  });
});
