import { SendMessageBatchCommand, SQSClient } from '@aws-sdk/client-sqs';
import {
  BatchGetCommand,
  DynamoDBDocumentClient,
  GetCommand,
  TransactWriteCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sha256Hasher } from '#adapters/crypto/ids';
import sendEvent from '../../events/api/send-message.json' with { type: 'json' };
import badJsonEvent from '../../events/api/send-message-invalid-json.json' with { type: 'json' };
import { context, handlerEnv } from '../support/context';
import { accountItem, asEvent, type HttpHandler, loadHandler } from '../support/handler-fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const sqs = mockClient(SQSClient);
let handler: HttpHandler;
const send = () => handler(asEvent<APIGatewayProxyEventV2>(sendEvent), context);

function arrangeCaller() {
  ddb.on(GetCommand).resolves({}); // no idempotency record yet
  ddb.on(BatchGetCommand).resolves({ Responses: { 'sms-platform-test': [] } });
  ddb.on(GetCommand, { Key: { pk: 'APIKEY#AAAAAAAAAAAAAAAA', sk: 'APIKEY' } }).resolves({
    Item: {
      keyId: 'AAAAAAAAAAAAAAAA',
      accountId: 'acc1',
      secretHash: sha256Hasher.hash('B'.repeat(40)),
      status: 'active',
      createdAt: '2026-01-01T00:00:00.000Z',
    },
  });
  ddb.on(GetCommand, { Key: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' } }).resolves({
    Item: accountItem({ balance: 10_000, senderIds: ['DemoShop'] }),
  });
}

describe('send-message handler', () => {
  beforeAll(async () => {
    handlerEnv();
    handler = await loadHandler('send-message');
  });
  afterEach(() => {
    ddb.reset();
    sqs.reset();
  });

  it('charges and stores in one transaction, enqueues, answers 202', async () => {
    // Arrange
    arrangeCaller();
    ddb.on(TransactWriteCommand).resolves({});
    ddb.on(UpdateCommand).resolves({});
    sqs
      .on(SendMessageBatchCommand)
      .resolves({ Successful: [{ Id: '0', MessageId: 'x', MD5OfMessageBody: '' }] });

    // Act
    const response = await send();

    // Assert
    expect(response.statusCode).toBe(202);
    const body = JSON.parse(response.body ?? '{}');
    expect(body).toMatchObject({
      to: '+40722123456',
      from: 'DemoShop',
      encoding: 'GSM-7',
      parts: 1,
      cost: '0.0450',
    });
    expect(ddb).toHaveReceivedCommandWith(TransactWriteCommand, {
      TransactItems: expect.arrayContaining([
        expect.objectContaining({
          Update: expect.objectContaining({
            Key: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' },
            ConditionExpression: '#status = :active AND balance >= :cost',
            ExpressionAttributeValues: { ':cost': 450, ':active': 'active' },
          }),
        }),
      ]),
    });
    expect(sqs).toHaveReceivedCommandTimes(SendMessageBatchCommand, 1);
  });

  it('answers 400 INVALID_JSON for a malformed body and touches nothing', async () => {
    arrangeCaller();
    const response = await handler(asEvent<APIGatewayProxyEventV2>(badJsonEvent), context);
    expect(response.statusCode).toBe(400);
    expect(JSON.parse(response.body ?? '{}')).toMatchObject({ error: { code: 'INVALID_JSON' } });
    expect(ddb).not.toHaveReceivedCommand(TransactWriteCommand);
    expect(sqs).not.toHaveReceivedCommand(SendMessageBatchCommand);
  });

  it('answers 401 for an unknown key without a stack trace', async () => {
    ddb.on(GetCommand).resolves({});
    const response = await send();
    expect(response.statusCode).toBe(401);
    expect(response.body).not.toMatch(/at .*\.ts/);
  });

  it('answers a generic 500 when DynamoDB fails, never the error itself', async () => {
    arrangeCaller();
    ddb.on(TransactWriteCommand).rejects(new Error('internal detail: table xyz'));
    const response = await send();
    expect(response.statusCode).toBe(500);
    expect(response.body).not.toContain('internal detail');
  });
});
