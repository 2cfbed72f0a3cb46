import { randomUUID } from 'node:crypto';
import {
  DeleteMessageBatchCommand,
  GetQueueAttributesCommand,
  type Message,
  ReceiveMessageCommand,
  type SQSClient,
} from '@aws-sdk/client-sqs';
import type { Context, SQSBatchResponse, SQSEvent, SQSMessageAttributes, SQSRecord } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '#topology/functions';

export const LOCAL_ACCOUNT_ID = '000000000000';
export const LOCAL_REGION = 'us-east-1';

/** SQS allows at most 10 messages per ReceiveMessage and per DeleteMessageBatch. */
const SQS_MAX_BATCH = 10;
const RETRY_AFTER_ERROR_MS = 1_000;

// biome-ignore lint/suspicious/noConfusingVoidType: Lambda's own SQSHandler type; lets `async () => {}` handlers fit
export type SqsHandler = (event: SQSEvent, context: Context) => Promise<SQSBatchResponse | void>;

export interface SqsPollerOptions {
  client: SQSClient;
  queueUrl: string;
  /** @default read from the queue (GetQueueAttributes QueueArn) */
  queueArn?: string;
  batchSize: number;
  /** Like the event source mapping's MaximumBatchingWindowInSeconds. @default 0 */
  maxBatchingWindowSeconds?: number;
  handler: SqsHandler;
  /** Name passed to `makeLambdaContext`. @default 'sqs-consumer' */
  functionName?: FunctionName;
  /** @default 20 (the maximum long poll) */
  waitTimeSeconds?: number;
  /** Parallel pollers, each invoking the handler on its own batch (Lambda scaling out). @default 2 */
  concurrency?: number;
  /** Handler, receive and delete errors: reported here, never thrown. @default console.error */
  onError?: (error: unknown) => void;
}

/**
 * Behaves like Lambda's SQS event source mapping: long-polls, invokes the handler with an `SQSEvent`,
 * then deletes what succeeded (everything, everything but `batchItemFailures`, or nothing when it threw).
 * Undeleted messages reappear after the queue's visibility timeout; the queue's redrive policy moves them
 * to the DLQ after maxReceiveCount receives.
 */
export function startSqsPoller(options: SqsPollerOptions): { stop(): Promise<void> } {
  const abort = new AbortController();
  const report = options.onError ?? ((error: unknown) => console.error('[sqs-poller]', error));
  const onError = (error: unknown) => {
    try {
      report(error);
    } catch (secondary) {
      console.error('[sqs-poller] onError threw', secondary, 'while reporting', error);
    }
  };
  const concurrency = Math.max(1, options.concurrency ?? 2);
  let arn: Promise<string> | undefined;
  const queueArn = (): Promise<string> => {
    arn ??= options.queueArn
      ? Promise.resolve(options.queueArn)
      : readQueueArn(options.client, options.queueUrl);
    arn.catch(() => {
      arn = undefined;
    });
    return arn;
  };

  const loop = async (): Promise<void> => {
    while (!abort.signal.aborted) {
      try {
        const messages = await receiveBatch(options, abort.signal);
        if (messages.length === 0) continue;
        const region = (await options.client.config.region()) ?? LOCAL_REGION;
        await invoke(options, messages, await queueArn(), region, onError);
      } catch (error) {
        if (abort.signal.aborted) return;
        onError(error);
        await pause(RETRY_AFTER_ERROR_MS, abort.signal);
      }
    }
  };
  const loops = Array.from({ length: concurrency }, () => loop());

  return {
    async stop() {
      abort.abort();
      await Promise.allSettled(loops);
    },
  };
}

/** A plausible Lambda `Context` whose remaining time follows the function's declared timeout. */
export function makeLambdaContext(functionName: FunctionName | string): Context {
  const spec = (FUNCTIONS as Record<string, { timeoutSeconds: number; memoryMb: number }>)[functionName];
  const timeoutMs = (spec?.timeoutSeconds ?? 30) * 1000;
  const deadline = Date.now() + timeoutMs;
  const requestId = randomUUID();
  const day = new Date().toISOString().slice(0, 10).replaceAll('-', '/');
  const unsupported = () => {
    throw new Error('Callback-style completion is not supported; return a promise');
  };
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName,
    functionVersion: '$LATEST',
    invokedFunctionArn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${functionName}`,
    memoryLimitInMB: String(spec?.memoryMb ?? 128),
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${functionName}`,
    logStreamName: `${day}/[$LATEST]${requestId.replaceAll('-', '')}`,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
    done: unsupported,
    fail: unsupported,
    succeed: unsupported,
  };
}

async function receiveBatch(options: SqsPollerOptions, signal: AbortSignal): Promise<Message[]> {
  const first = await receive(
    options,
    Math.min(options.batchSize, SQS_MAX_BATCH),
    options.waitTimeSeconds ?? 20,
    signal,
  );
  const windowMs = (options.maxBatchingWindowSeconds ?? 0) * 1000;
  if (first.length === 0 || windowMs === 0) return first;
  // Batching window: keep gathering (short polls) until the batch is full or the window closes.
  const messages = [...first];
  const closesAt = Date.now() + windowMs;
  while (messages.length < options.batchSize && Date.now() < closesAt && !signal.aborted) {
    let more: Message[];
    try {
      more = await receive(options, Math.min(options.batchSize - messages.length, SQS_MAX_BATCH), 0, signal);
    } catch {
      break; // invoke with what was gathered rather than leave it invisible until the timeout
    }
    messages.push(...more);
    if (more.length === 0) await pause(Math.min(50, closesAt - Date.now()), signal);
  }
  return messages;
}

async function receive(
  options: SqsPollerOptions,
  max: number,
  waitTimeSeconds: number,
  signal: AbortSignal,
): Promise<Message[]> {
  const { Messages } = await options.client.send(
    new ReceiveMessageCommand({
      QueueUrl: options.queueUrl,
      MaxNumberOfMessages: max,
      WaitTimeSeconds: waitTimeSeconds,
      AttributeNames: ['All'],
      MessageSystemAttributeNames: ['All'],
      MessageAttributeNames: ['All'],
    }),
    { abortSignal: signal },
  );
  return Messages ?? [];
}

async function invoke(
  options: SqsPollerOptions,
  messages: Message[],
  eventSourceARN: string,
  awsRegion: string,
  onError: (error: unknown) => void,
): Promise<void> {
  const records = messages.map((m) => toRecord(m, eventSourceARN, awsRegion));
  const functionName = options.functionName ?? 'sqs-consumer';
  const context = makeLambdaContext(functionName);
  let failed: Set<string>;
  try {
    const response = await withTimeout(
      Promise.resolve().then(() => options.handler({ Records: records }, context)),
      context.getRemainingTimeInMillis(),
      functionName,
    );
    failed = new Set((response?.batchItemFailures ?? []).map((f) => f?.itemIdentifier));
  } catch (error) {
    // Like Lambda: a failed invocation deletes nothing; the whole batch comes back after the timeout.
    onError(error);
    return;
  }
  const ids = new Set(records.map((r) => r.messageId));
  if ([...failed].some((id) => !id || !ids.has(id))) {
    // Lambda treats an empty or unknown itemIdentifier as a failure of the whole batch.
    onError(new Error(`Invalid batchItemFailures ${JSON.stringify([...failed])}: whole batch retried`));
    return;
  }
  const done = records.filter((r) => !failed.has(r.messageId));
  for (let i = 0; i < done.length; i += SQS_MAX_BATCH) {
    const chunk = done.slice(i, i + SQS_MAX_BATCH);
    // Not aborted by stop(): a processed message must be deleted even while shutting down.
    const { Failed } = await options.client.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: chunk.map((r, n) => ({ Id: String(n), ReceiptHandle: r.receiptHandle })),
      }),
    );
    if (Failed?.length) onError(new Error(`DeleteMessageBatch failed: ${JSON.stringify(Failed)}`));
  }
}

function toRecord(message: Message, eventSourceARN: string, awsRegion: string): SQSRecord {
  const attributes = message.Attributes ?? {};
  const record: SQSRecord = {
    messageId: message.MessageId ?? '',
    receiptHandle: message.ReceiptHandle ?? '',
    body: message.Body ?? '',
    attributes: {
      ...attributes,
      ApproximateReceiveCount: attributes.ApproximateReceiveCount ?? '1',
      SentTimestamp: attributes.SentTimestamp ?? String(Date.now()),
      SenderId: attributes.SenderId ?? LOCAL_ACCOUNT_ID,
      ApproximateFirstReceiveTimestamp: attributes.ApproximateFirstReceiveTimestamp ?? String(Date.now()),
    },
    messageAttributes: toMessageAttributes(message),
    md5OfBody: message.MD5OfBody ?? '',
    eventSource: 'aws:sqs',
    eventSourceARN,
    awsRegion,
  };
  if (message.MD5OfMessageAttributes) record.md5OfMessageAttributes = message.MD5OfMessageAttributes;
  return record;
}

/** Lambda's shape: camelCase, binary as base64, the (unused) list fields present and empty. */
function toMessageAttributes(message: Message): SQSMessageAttributes {
  const result: SQSMessageAttributes = {};
  for (const [name, value] of Object.entries(message.MessageAttributes ?? {})) {
    result[name] = {
      ...(value.StringValue === undefined ? {} : { stringValue: value.StringValue }),
      ...(value.BinaryValue === undefined
        ? {}
        : { binaryValue: Buffer.from(value.BinaryValue).toString('base64') }),
      stringListValues: value.StringListValues ?? [],
      binaryListValues: (value.BinaryListValues ?? []).map((b) => Buffer.from(b).toString('base64')),
      dataType: value.DataType ?? 'String',
    };
  }
  return result;
}

async function readQueueArn(client: SQSClient, queueUrl: string): Promise<string> {
  const { Attributes } = await client.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  if (!Attributes?.QueueArn) throw new Error(`No QueueArn for ${queueUrl}`);
  return Attributes.QueueArn;
}

/** Lambda stops an invocation at the function's timeout; the batch then counts as failed. */
function withTimeout<T>(work: Promise<T>, ms: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(
      () => reject(new Error(`${functionName}: Task timed out after ${(ms / 1000).toFixed(2)} seconds`)),
      ms,
    );
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function pause(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted || ms <= 0) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
