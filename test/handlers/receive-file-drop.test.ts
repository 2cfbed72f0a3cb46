import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import { DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { S3Event, S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import { mockClient } from 'aws-sdk-client-mock';
import 'aws-sdk-client-mock-vitest/extend';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { dropIds } from '#use-cases/batches/file-drop';
import eventBridgeEvent from '../../events/eventbridge/s3-object-created-drop.json' with { type: 'json' };
import s3Event from '../../events/s3/object-created-drop.json' with { type: 'json' };
import { decodeS3Key, droppedObjects } from '../../functions/receive-file-drop/events';
import { context, handlerEnv } from '../support/context';
import { accountItem, loadHandler } from '../support/handler-fixtures';

const ddb = mockClient(DynamoDBDocumentClient);
const s3 = mockClient(S3Client);
const sfn = mockClient(SFNClient);
type Handler = (e: S3ObjectCreatedNotificationEvent | S3Event, c: typeof context) => Promise<void>;
let handler: Handler;

const BUCKET = 'sms-platform-uploads-test';
const ACCOUNT_ITEM = accountItem({ balance: 10_000, reserved: 0, spent: 0, senderIds: ['Shop'] });
const asEventBridge = (key: string, bucket = BUCKET) =>
  ({
    ...eventBridgeEvent,
    detail: {
      ...eventBridgeEvent.detail,
      bucket: { name: bucket },
      object: { ...eventBridgeEvent.detail.object, key },
    },
  }) as unknown as S3ObjectCreatedNotificationEvent;

describe('receive-file-drop: the events', () => {
  it('decodes keys as S3 encodes them (form encoding), leaving undecodable ones alone', () => {
    // Assert
    expect(decodeS3Key('drops/acc1/Clien%C8%9Bi+noiembrie.csv.json')).toBe(
      'drops/acc1/Clienți noiembrie.csv.json',
    );
    expect(decodeS3Key('drops/acc1/a%2Bb+list.xlsx.json')).toBe('drops/acc1/a+b list.xlsx.json');
    expect(decodeS3Key('drops/acc1/100%.csv.json')).toBe('drops/acc1/100%.csv.json');
  });

  it('reads both shapes: EventBridge "Object Created" (deployed) and S3 notification Records', () => {
    // Assert
    expect(droppedObjects(eventBridgeEvent as unknown as S3ObjectCreatedNotificationEvent)).toEqual([
      { bucket: BUCKET, key: 'drops/acc1/Clienți noiembrie.csv.json', sequencer: '00617F08299329D189' },
    ]);
    expect(droppedObjects(s3Event as unknown as S3Event)).toEqual([
      { bucket: BUCKET, key: 'drops/acc1/a+b list.xlsx.json', sequencer: '0055AED6DCD90281E5' },
    ]);
    const deleted = { ...eventBridgeEvent, 'detail-type': 'Object Deleted' };
    expect(droppedObjects(deleted as unknown as S3ObjectCreatedNotificationEvent)).toEqual([]);
  });
});

describe('receive-file-drop handler', () => {
  beforeAll(async () => {
    handlerEnv({
      UPLOAD_BUCKET: BUCKET,
      ANALYSE_BATCH_WORKFLOW_ARN: 'arn:aws:states:eu-central-1:123456789012:stateMachine:analyse-batch',
    });
    handler = await loadHandler('receive-file-drop');
  });
  afterEach(() => {
    ddb.reset();
    s3.reset();
    sfn.reset();
  });

  it('a sidecar (EventBridge event) becomes a batch on the dropped file; the analysis starts', async () => {
    // Arrange
    const sidecar = 'drops/acc1/Clienți noiembrie.csv.json';
    const { batchId } = dropIds(sidecar, '00617F08299329D189');
    ddb.on(GetCommand).resolves({});
    ddb.on(GetCommand, { Key: { pk: 'ACCOUNT#acc1', sk: 'ACCOUNT' } }).resolves({ Item: ACCOUNT_ITEM });
    ddb.on(PutCommand).resolves({});
    s3.on(HeadObjectCommand).resolves({ ContentLength: 120 });
    const body = new TextEncoder().encode(
      JSON.stringify({ name: 'Nov', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' }),
    );
    s3.on(GetObjectCommand).resolves({ Body: { transformToByteArray: async () => body } as never });
    sfn.on(StartExecutionCommand).resolves({ executionArn: 'arn:x', startDate: new Date() });

    // Act
    await handler(eventBridgeEvent as unknown as S3ObjectCreatedNotificationEvent, context);

    // Assert
    expect(s3).toHaveReceivedCommandWith(HeadObjectCommand, {
      Bucket: BUCKET,
      Key: 'drops/acc1/Clienți noiembrie.csv',
    });
    expect(sfn).toHaveReceivedCommandWith(StartExecutionCommand, { name: `analyse-${batchId}` });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: `BATCH#${batchId}`, accountId: 'acc1', status: 'analysing' }),
    });
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({ sk: `DROP#${sidecar}`, status: 'accepted', batchId }),
    });
  });

  it('a refused drop (unknown account, S3 notification shape) is recorded and the event succeeds', async () => {
    // Arrange
    ddb.on(GetCommand).resolves({});
    ddb.on(PutCommand).resolves({});

    // Act
    await handler(s3Event as unknown as S3Event, context);

    // Assert
    expect(ddb).toHaveReceivedCommandWith(PutCommand, {
      Item: expect.objectContaining({
        pk: 'ACCOUNT#acc1',
        sk: 'DROP#drops/acc1/a+b list.xlsx.json',
        status: 'rejected',
        code: 'UNKNOWN_ACCOUNT',
      }),
    });
    expect(sfn).not.toHaveReceivedCommand(StartExecutionCommand);
  });

  it.each([
    ['a data file', asEventBridge('drops/acc1/list.csv')],
    ['an upload', asEventBridge('uploads/acc1/01UPLOAD')],
    ['another bucket', asEventBridge('drops/acc1/list.csv.json', 'someone-elses-bucket')],
  ])('ignores %s', async (_name, event) => {
    // Act
    await handler(event, context);
    // Assert
    expect(ddb).not.toHaveReceivedAnyCommand();
    expect(s3).not.toHaveReceivedAnyCommand();
  });

  it('throws on an infrastructure error, for the event to be retried', async () => {
    // Arrange
    ddb.on(GetCommand).rejects(new Error('DynamoDB is unavailable'));
    // Act / Assert
    await expect(
      handler(eventBridgeEvent as unknown as S3ObjectCreatedNotificationEvent, context),
    ).rejects.toThrow('DynamoDB is unavailable');
  });
});
