import { ListBucketsCommand, S3Client } from '@aws-sdk/client-s3';
import {
  GetQueueAttributesCommand,
  SendMessageBatchCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import type { SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { visibilityTimeoutSeconds } from '#topology/functions';
import { QUEUES, type QueueKey } from '#topology/queues';
import { type QueuesAndBuckets, startQueuesAndBuckets } from '../../../local/fauxqs';
import { makeLambdaContext, startSqsPoller } from '../../../local/sqs-poller';

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
let stack: QueuesAndBuckets;
let sqs: SQSClient;
const stops: (() => Promise<void>)[] = [];

beforeAll(async () => {
  stack = await startQueuesAndBuckets({ buckets: ['uploads'] });
  sqs = new SQSClient({ endpoint: stack.endpoint, region: 'us-east-1', credentials });
});

afterEach(async () => {
  await Promise.all(stops.splice(0).map((stop) => stop()));
});

afterAll(async () => {
  sqs?.destroy();
  await stack?.stop();
});

/** A queue with a short visibility timeout so redeliveries happen within the test. */
function testQueue(name: string, maxReceiveCount: number) {
  const dlq = stack.server.createQueue(`${name}-dlq`);
  const queue = stack.server.createQueue(name, {
    attributes: {
      VisibilityTimeout: '1',
      RedrivePolicy: JSON.stringify({ deadLetterTargetArn: dlq.queueArn, maxReceiveCount }),
    },
  });
  return { ...queue, dlqName: `${name}-dlq` };
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

function queueIsEmpty(name: string): boolean {
  const state = stack.server.inspectQueue(name);
  return (
    !!state &&
    state.messages.ready.length + state.messages.inflight.length + state.messages.delayed.length === 0
  );
}

describe('startQueuesAndBuckets', () => {
  it('creates every topology queue with its DLQ, redrive policy and visibility timeout, and the buckets', async () => {
    for (const key of Object.keys(QUEUES) as QueueKey[]) {
      // Act
      const { Attributes } = await sqs.send(
        new GetQueueAttributesCommand({ QueueUrl: stack.queueUrls[key], AttributeNames: ['All'] }),
      );

      // Assert
      expect(Attributes?.VisibilityTimeout).toBe(String(visibilityTimeoutSeconds(QUEUES[key].consumer)));
      expect(JSON.parse(Attributes?.RedrivePolicy ?? '{}')).toMatchObject({
        deadLetterTargetArn: stack.dlqArns[key],
        maxReceiveCount: QUEUES[key].maxReceiveCount,
      });
      expect(stack.queueUrls[key]).toMatch(new RegExp(`/${QUEUES[key].name}$`));
      expect(stack.dlqUrls[key]).toMatch(new RegExp(`/${QUEUES[key].name}-dlq$`));
    }
    const s3 = new S3Client({
      endpoint: stack.endpoint,
      region: 'us-east-1',
      credentials,
      forcePathStyle: true,
    });
    const { Buckets } = await s3.send(new ListBucketsCommand({}));
    s3.destroy();
    expect(Buckets?.map((b) => b.Name)).toContain('uploads');
  });
});

describe('startSqsPoller', () => {
  it('deletes successes, redelivers batchItemFailures with a growing receive count, then dead-letters', async () => {
    // Arrange
    const maxReceiveCount = 3;
    const q = testQueue('partial-failures', maxReceiveCount);
    const processed = new Map<string, number>();
    const poisonCounts: number[] = [];
    const flakyCounts: number[] = [];
    const records: SQSRecord[] = [];
    const handler = async (event: SQSEvent): Promise<SQSBatchResponse> => {
      const batchItemFailures: SQSBatchResponse['batchItemFailures'] = [];
      for (const record of event.Records) {
        records.push(record);
        const count = Number(record.attributes.ApproximateReceiveCount);
        if (record.body === 'poison') {
          poisonCounts.push(count);
          batchItemFailures.push({ itemIdentifier: record.messageId });
        } else if (record.body === 'flaky' && count < 2) {
          flakyCounts.push(count);
          batchItemFailures.push({ itemIdentifier: record.messageId });
        } else {
          if (record.body === 'flaky') flakyCounts.push(count);
          processed.set(record.body, (processed.get(record.body) ?? 0) + 1);
        }
      }
      return { batchItemFailures };
    };
    const bodies = [...Array.from({ length: 23 }, (_, i) => `msg-${i}`), 'poison', 'flaky'];
    for (const body of bodies) {
      await sqs.send(
        new SendMessageCommand({
          QueueUrl: q.queueUrl,
          MessageBody: body,
          MessageAttributes: { kind: { DataType: 'String', StringValue: body.split('-')[0] } },
        }),
      );
    }

    // Act
    const poller = startSqsPoller({
      client: sqs,
      queueUrl: q.queueUrl,
      batchSize: 10,
      handler,
      waitTimeSeconds: 1,
    });
    stops.push(() => poller.stop());
    const dead = await stack.server.spy.waitForMessage(
      { service: 'sqs', queueName: 'partial-failures', status: 'dlq' },
      undefined,
      15_000,
    );
    await until('the queue to drain', () => queueIsEmpty('partial-failures'));

    // Assert
    expect(dead).toMatchObject({ body: 'poison' });
    expect(poisonCounts).toEqual([1, 2, 3]);
    expect(flakyCounts).toEqual([1, 2]);
    for (const body of bodies.filter((b) => b !== 'poison')) expect(processed.get(body), body).toBe(1);
    expect(stack.server.inspectQueue(q.dlqName)?.messages.ready.map((m) => m.body)).toEqual(['poison']);
    const first = records.find((r) => r.body === 'msg-0');
    expect(first).toMatchObject({
      eventSource: 'aws:sqs',
      eventSourceARN: q.queueArn,
      awsRegion: 'us-east-1',
      md5OfBody: expect.stringMatching(/^[0-9a-f]{32}$/),
      messageAttributes: { kind: { stringValue: 'msg', dataType: 'String' } },
      attributes: {
        ApproximateReceiveCount: '1',
        SentTimestamp: expect.stringMatching(/^\d{13}$/),
        ApproximateFirstReceiveTimestamp: expect.stringMatching(/^\d{13}$/),
      },
    });
    const deliveries = records.filter((r) => r.body.startsWith('msg-'));
    expect(deliveries).toHaveLength(23); // none of the successful ones was delivered twice
  });

  it('redelivers the whole batch when the handler throws, without crashing the process', async () => {
    // Arrange
    const q = testQueue('throwing-handler', 5);
    const invocations: { bodies: string[]; counts: string[] }[] = [];
    const errors: unknown[] = [];
    const handler = async (event: SQSEvent) => {
      invocations.push({
        bodies: event.Records.map((r) => r.body).sort(),
        counts: event.Records.map((r) => r.attributes.ApproximateReceiveCount),
      });
      if (invocations.length === 1) throw new Error('database unavailable');
    };
    await sqs.send(
      new SendMessageBatchCommand({
        QueueUrl: q.queueUrl,
        Entries: ['a', 'b', 'c'].map((body) => ({ Id: body, MessageBody: body })),
      }),
    );

    // Act
    const poller = startSqsPoller({
      client: sqs,
      queueUrl: q.queueUrl,
      batchSize: 10,
      handler,
      waitTimeSeconds: 1,
      concurrency: 1,
      onError: (e) => errors.push(e),
    });
    stops.push(() => poller.stop());
    await until(
      'the redelivered batch to succeed',
      () => invocations.length >= 2 && queueIsEmpty('throwing-handler'),
    );

    // Assert
    expect(invocations).toEqual([
      { bodies: ['a', 'b', 'c'], counts: ['1', '1', '1'] },
      { bodies: ['a', 'b', 'c'], counts: ['2', '2', '2'] },
    ]);
    expect(errors).toHaveLength(1);
    expect(String(errors[0])).toContain('database unavailable');
  });

  it('runs several invocations concurrently and stop() waits for the ones in flight', async () => {
    // Arrange
    const q = testQueue('concurrent', 5);
    let running = 0;
    let peak = 0;
    let release: () => void = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    let finished = 0;
    const handler = async () => {
      running++;
      peak = Math.max(peak, running);
      await gate;
      running--;
      finished++;
    };
    await sqs.send(new SendMessageCommand({ QueueUrl: q.queueUrl, MessageBody: 'one' }));
    await sqs.send(new SendMessageCommand({ QueueUrl: q.queueUrl, MessageBody: 'two' }));
    const poller = startSqsPoller({
      client: sqs,
      queueUrl: q.queueUrl,
      batchSize: 1,
      handler,
      waitTimeSeconds: 1,
      concurrency: 2,
    });
    await until('two concurrent invocations', () => running === 2);

    // Act
    let stopped = false;
    const stopping = poller.stop().then(() => {
      stopped = true;
    });
    await new Promise((resolve) => setImmediate(resolve));
    const stoppedBeforeRelease = stopped;
    release();
    await stopping;

    // Assert
    expect(peak).toBe(2);
    expect(stoppedBeforeRelease).toBe(false);
    expect(finished).toBe(2);
    expect(queueIsEmpty('concurrent')).toBe(true);
  });
});

describe('makeLambdaContext', () => {
  it('counts down from the function timeout declared in the topology', () => {
    // Act
    const context = makeLambdaContext('submit-messages');

    // Assert
    expect(context.functionName).toBe('submit-messages');
    expect(context.memoryLimitInMB).toBe('512');
    expect(context.invokedFunctionArn).toBe('arn:aws:lambda:us-east-1:000000000000:function:submit-messages');
    expect(context.getRemainingTimeInMillis()).toBeGreaterThan(29_000);
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(30_000);
  });
});
