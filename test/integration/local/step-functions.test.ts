import {
  DescribeExecutionCommand,
  type DescribeExecutionCommandOutput,
  DescribeStateMachineCommand,
  ExecutionAlreadyExists,
  ExecutionDoesNotExist,
  InvalidExecutionInput,
  ListExecutionsCommand,
  ListStateMachinesCommand,
  SFNClient,
  StartExecutionCommand,
  StateMachineDoesNotExist,
  StopExecutionCommand,
} from '@aws-sdk/client-sfn';
import { App, Duration, Stack } from 'aws-cdk-lib';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { Code, Function as LambdaFunction, Runtime } from 'aws-cdk-lib/aws-lambda';
import { Queue } from 'aws-cdk-lib/aws-sqs';
import {
  Choice,
  Condition,
  DefinitionBody,
  Fail,
  Map as MapState,
  Pass,
  StateMachine,
  TaskInput,
  Wait,
  WaitTime,
} from 'aws-cdk-lib/aws-stepfunctions';
import { LambdaInvoke } from 'aws-cdk-lib/aws-stepfunctions-tasks';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '#topology/functions';
import {
  type LocalStepFunctions,
  loadStateMachineDefinitions,
  type StateMachineDefinitions,
  startStepFunctions,
  stateMachineArn,
} from '../../../local/step-functions';

const LOCAL = {
  tableName: 'sms-platform',
  queueUrls: { send: 'http://sqs.us-east-1.localhost:1/000000000000/send-messages' },
  queueArns: { send: 'arn:aws:sqs:us-east-1:000000000000:send-messages' },
};
const SAMPLE_ARN = stateMachineArn('SampleWorkflow');

class ChunkBusy extends Error {
  override name = 'ChunkBusy';
}
class ChunkRejected extends Error {
  override name = 'ChunkRejected';
}

/**
 * A batch-shaped sample (until infra/ has its state machines): Prepare (lambda:invoke, OutputPath $.Payload)
 * → Choice (nothing to send → Fail) → inline Map over chunks (MaxConcurrency 2; each chunk a Lambda task
 * retried on ChunkBusy; the Map catches ChunkRejected → Pass → Fail) → Wait (SecondsPath) → Pass.
 */
function sampleStack(): Stack {
  const app = new App({ context: { 'aws:cdk:bundling-stacks': [] } });
  const stack = new Stack(app, 'Sample');
  const props = {
    runtime: Runtime.NODEJS_22_X,
    handler: 'index.handler',
    code: Code.fromInline('exports.handler = async () => ({});'),
  };
  // Construct ids `${pascalCase(name)}Fn`, as AppFunction names them: these map to get-message/get-account.
  const prepareFn = new LambdaFunction(stack, 'GetMessageFn', props);
  const chunkFn = new LambdaFunction(stack, 'GetAccountFn', props);
  const queue = new Queue(stack, 'SendQueue', { queueName: 'sample-send-messages' });
  const table = new Table(stack, 'Table', { partitionKey: { name: 'pk', type: AttributeType.STRING } });

  const prepare = new LambdaInvoke(stack, 'Prepare', {
    lambdaFunction: prepareFn,
    payload: TaskInput.fromObject({
      'batchId.$': '$.batchId',
      'chunks.$': '$.chunks',
      'waitSeconds.$': '$.waitSeconds',
      queueUrl: queue.queueUrl,
      queueArn: queue.queueArn,
      tableName: table.tableName,
    }),
    outputPath: '$.Payload',
  });
  const processChunk = new LambdaInvoke(stack, 'ProcessChunk', {
    lambdaFunction: chunkFn,
    payloadResponseOnly: true,
  }).addRetry({ errors: ['ChunkBusy'], interval: Duration.seconds(1), maxAttempts: 2, backoffRate: 2 });
  const perChunk = new MapState(stack, 'PerChunk', {
    itemsPath: '$.chunks',
    maxConcurrency: 2,
    itemSelector: { 'chunk.$': '$$.Map.Item.Value', 'batchId.$': '$.batchId' },
    resultPath: '$.results',
  }).itemProcessor(processChunk);
  const batchFailed = new Fail(stack, 'BatchFailed', { error: 'BatchFailed', causePath: '$.failure.Cause' });
  perChunk.addCatch(
    new Pass(stack, 'RecordFailure', {
      parameters: { 'batchId.$': '$.batchId', 'failure.$': '$.failure' },
    }).next(batchFailed),
    { errors: ['ChunkRejected'], resultPath: '$.failure' },
  );
  const settle = new Wait(stack, 'Settle', { time: WaitTime.secondsPath('$.waitSeconds') });
  const summarise = new Pass(stack, 'Summarise', {
    parameters: {
      'batchId.$': '$.batchId',
      'chunks.$': 'States.ArrayLength($.results)',
      'results.$': '$.results',
    },
  });
  const nothingToSend = new Fail(stack, 'NothingToSend', {
    error: 'EmptyBatch',
    cause: 'The batch has no recipients',
  });
  const anything = new Choice(stack, 'AnythingToSend')
    .when(Condition.numberEquals('$.itemCount', 0), nothingToSend)
    .otherwise(perChunk.next(settle).next(summarise));
  new StateMachine(stack, 'SampleWorkflow', {
    definitionBody: DefinitionBody.fromChainable(prepare.next(anything)),
    timeout: Duration.minutes(5),
  });
  return stack;
}

interface Call {
  readonly fn: FunctionName;
  readonly payload: Record<string, unknown>;
}
const calls: Call[] = [];
const attempts = new Map<string, number>();
let inFlight = 0;
let maxInFlight = 0;

/** The local "functions": Prepare echoes the batch; a chunk's name says how it behaves. */
async function invoke(fn: FunctionName, payload: unknown): Promise<unknown> {
  const p = payload as Record<string, unknown>;
  calls.push({ fn, payload: p });
  if (fn === 'get-message') {
    const chunks = p.chunks as string[];
    return { batchId: p.batchId, chunks, itemCount: chunks.length, waitSeconds: p.waitSeconds };
  }
  const chunk = String(p.chunk);
  const key = `${p.batchId}/${chunk}`;
  const attempt = (attempts.get(key) ?? 0) + 1;
  attempts.set(key, attempt);
  inFlight++;
  maxInFlight = Math.max(maxInFlight, inFlight);
  try {
    await new Promise((resolve) => setTimeout(resolve, 15));
    if (chunk.startsWith('busy') && attempt === 1) throw new ChunkBusy(`${chunk} is busy`);
    if (chunk.startsWith('reject')) throw new ChunkRejected(`${chunk} was rejected`);
    if (chunk.startsWith('crash')) throw new TypeError(`${chunk} crashed`);
    return { chunk, attempt, sent: 10 };
  } finally {
    inFlight--;
  }
}

const client = (endpoint: string) =>
  new SFNClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    maxAttempts: 1,
  });

let definitions: StateMachineDefinitions;
let service: LocalStepFunctions;
let sfn: SFNClient;

beforeAll(async () => {
  definitions = await loadStateMachineDefinitions({ build: sampleStack, locals: LOCAL });
  service = await startStepFunctions({ definitions, invoke, waitTimeScale: 0.01 });
  sfn = client(service.endpoint);
});

afterAll(async () => {
  sfn?.destroy();
  await service?.stop();
});

async function start(input: object, name?: string): Promise<string> {
  const { executionArn } = await sfn.send(
    new StartExecutionCommand({ stateMachineArn: SAMPLE_ARN, input: JSON.stringify(input), name }),
  );
  return executionArn as string;
}

async function settled(executionArn: string, timeoutMs = 10_000): Promise<DescribeExecutionCommandOutput> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const described = await sfn.send(new DescribeExecutionCommand({ executionArn }));
    if (described.status !== 'RUNNING') return described;
    if (Date.now() > deadline) throw new Error(`${executionArn} still RUNNING after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('loadStateMachineDefinitions', () => {
  it('resolves the CDK definition to local names and maps every Task (nested ones too) to its function', () => {
    // Arrange
    const entry = definitions.SampleWorkflow;

    // Assert
    expect(Object.keys(definitions)).toEqual(['SampleWorkflow']);
    expect(entry?.taskFunctions).toEqual({ Prepare: 'get-message', ProcessChunk: 'get-account' });
    expect(entry?.serviceTasks).toEqual({});
    type States = Record<string, Record<string, unknown>>;
    const states = (entry?.definition as { States: States } | undefined)?.States ?? {};
    expect(states.Prepare?.Resource).toBe('arn:aws:states:::lambda:invoke');
    expect(states.Prepare?.Parameters).toMatchObject({
      FunctionName: 'arn:aws:lambda:us-east-1:000000000000:function:get-message',
      Payload: { queueUrl: LOCAL.queueUrls.send, queueArn: LOCAL.queueArns.send, tableName: LOCAL.tableName },
    });
    const iterator = (states.PerChunk?.ItemProcessor as { States: States } | undefined)?.States;
    expect(iterator?.ProcessChunk?.Resource).toBe(
      'arn:aws:lambda:us-east-1:000000000000:function:get-account',
    );
  });

  it('fails loudly on a reference it has no local name for', async () => {
    // Act
    const loading = loadStateMachineDefinitions({ build: sampleStack, locals: { tableName: 'x' } });

    // Assert
    await expect(loading).rejects.toThrow(/No local name for Ref of AWS::SQS::Queue/);
  });

  it("loads the platform's own state machines (if any yet) with every Task mapped", async () => {
    // Act
    const platform = await loadStateMachineDefinitions({
      locals: {
        tableName: 'sms-platform',
        queueUrls: { send: 'u1', deliveryReports: 'u2' },
        queueArns: { send: 'a1', deliveryReports: 'a2' },
        dlqUrls: { send: 'd1', deliveryReports: 'd2' },
        dlqArns: { send: 'e1', deliveryReports: 'e2' },
        bucketNames: { UploadBucket: 'uploads' },
      },
    });

    // Assert
    for (const entry of Object.values(platform)) {
      expect(JSON.stringify(entry.definition)).not.toMatch(/Fn::|"Ref"/);
    }
  });
});

describe('startStepFunctions (JSON 1.0 protocol, real SFNClient)', () => {
  it('runs Task → Choice → Map (MaxConcurrency, Retry on a named error) → Wait → Pass to SUCCEEDED', async () => {
    // Arrange
    const input = { batchId: 'b-ok', chunks: ['c1', 'busy-2', 'c3', 'c4', 'c5'], waitSeconds: 3 };

    // Act
    const arn = await start(input);
    const described = await settled(arn);

    // Assert
    expect(described).toMatchObject({
      executionArn: arn,
      stateMachineArn: SAMPLE_ARN,
      status: 'SUCCEEDED',
      input: JSON.stringify(input),
    });
    expect(described.startDate).toBeInstanceOf(Date);
    expect(described.stopDate?.getTime()).toBeGreaterThanOrEqual(described.startDate?.getTime() ?? 0);
    const output = JSON.parse(described.output ?? 'null');
    expect(output).toEqual({
      batchId: 'b-ok',
      chunks: 5,
      results: [
        { chunk: 'c1', attempt: 1, sent: 10 },
        { chunk: 'busy-2', attempt: 2, sent: 10 },
        { chunk: 'c3', attempt: 1, sent: 10 },
        { chunk: 'c4', attempt: 1, sent: 10 },
        { chunk: 'c5', attempt: 1, sent: 10 },
      ],
    });
    expect(attempts.get('b-ok/busy-2')).toBe(2);
    expect(maxInFlight).toBe(2);
    const prepare = calls.find((c) => c.fn === 'get-message' && c.payload.batchId === 'b-ok');
    expect(prepare?.payload).toMatchObject({ queueUrl: LOCAL.queueUrls.send, tableName: LOCAL.tableName });
  });

  it('takes the Choice to the Fail state: FAILED with its error and cause', async () => {
    // Act
    const described = await settled(await start({ batchId: 'b-empty', chunks: [], waitSeconds: 0 }));

    // Assert
    expect(described).toMatchObject({
      status: 'FAILED',
      error: 'EmptyBatch',
      cause: 'The batch has no recipients',
    });
    expect(described.output).toBeUndefined();
  });

  it('catches a named Lambda error on the Map, then fails with the Lambda error JSON as the cause', async () => {
    // Act
    const described = await settled(
      await start({ batchId: 'b-rejected', chunks: ['c1', 'reject-2'], waitSeconds: 0 }),
    );

    // Assert
    expect(described).toMatchObject({ status: 'FAILED', error: 'BatchFailed' });
    expect(JSON.parse(described.cause ?? '{}')).toMatchObject({
      errorType: 'ChunkRejected',
      errorMessage: 'reject-2 was rejected',
    });
    expect(calls.some((c) => c.payload.batchId === 'b-rejected' && c.payload.chunk === 'reject-2')).toBe(
      true,
    );
  });

  it('fails the execution with an uncaught error, named after the thrown class', async () => {
    // Act
    const described = await settled(await start({ batchId: 'b-crash', chunks: ['crash-1'], waitSeconds: 0 }));

    // Assert
    expect(described.status).toBe('FAILED');
    expect(described.error).toBe('TypeError');
    expect(JSON.parse(described.cause ?? '{}')).toMatchObject({ errorType: 'TypeError' });
  });

  it('starts by name idempotently while RUNNING; other input or a closed execution → ExecutionAlreadyExists', async () => {
    // Arrange: a 100 s Wait, scaled to 1 s
    const input = { batchId: 'b-named', chunks: ['c1'], waitSeconds: 100 };
    const first = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: SAMPLE_ARN,
        name: 'batch-b-named',
        input: JSON.stringify(input),
      }),
    );

    // Act
    const again = await sfn.send(
      new StartExecutionCommand({
        stateMachineArn: SAMPLE_ARN,
        name: 'batch-b-named',
        input: JSON.stringify(input),
      }),
    );
    const otherInput = sfn.send(
      new StartExecutionCommand({
        stateMachineArn: SAMPLE_ARN,
        name: 'batch-b-named',
        input: '{"batchId":"x"}',
      }),
    );

    // Assert
    expect(again.executionArn).toBe(first.executionArn);
    expect(again.startDate).toEqual(first.startDate);
    expect(first.executionArn).toBe(
      'arn:aws:states:us-east-1:000000000000:execution:SampleWorkflow:batch-b-named',
    );
    await expect(otherInput).rejects.toBeInstanceOf(ExecutionAlreadyExists);
    expect((await settled(first.executionArn as string)).status).toBe('SUCCEEDED');
    await expect(
      sfn.send(
        new StartExecutionCommand({
          stateMachineArn: SAMPLE_ARN,
          name: 'batch-b-named',
          input: JSON.stringify(input),
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionAlreadyExists);
  });

  it('stops a running execution (ABORTED with the given error and cause) and lists by status', async () => {
    // Arrange
    const arn = await start({ batchId: 'b-stop', chunks: ['c1'], waitSeconds: 1000 }, 'batch-b-stop');
    await new Promise((resolve) => setTimeout(resolve, 100));

    // Act
    const stopped = await sfn.send(
      new StopExecutionCommand({
        executionArn: arn,
        error: 'BatchCancelled',
        cause: 'cancelled by the user',
      }),
    );
    const running = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: SAMPLE_ARN, statusFilter: 'RUNNING' }),
    );
    const aborted = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: SAMPLE_ARN, statusFilter: 'ABORTED' }),
    );

    // Assert
    expect(stopped.stopDate).toBeInstanceOf(Date);
    expect(await settled(arn)).toMatchObject({
      status: 'ABORTED',
      error: 'BatchCancelled',
      cause: 'cancelled by the user',
    });
    expect(running.executions?.map((e) => e.executionArn)).not.toContain(arn);
    expect(aborted.executions?.map((e) => e.name)).toEqual(['batch-b-stop']);
  });

  it('pages ListExecutions newest first', async () => {
    // Act
    const first = await sfn.send(new ListExecutionsCommand({ stateMachineArn: SAMPLE_ARN, maxResults: 2 }));
    const second = await sfn.send(
      new ListExecutionsCommand({ stateMachineArn: SAMPLE_ARN, maxResults: 2, nextToken: first.nextToken }),
    );

    // Assert
    expect(first.executions).toHaveLength(2);
    expect(first.nextToken).toBeTruthy();
    const dates = [...(first.executions ?? []), ...(second.executions ?? [])].map(
      (e) => e.startDate?.getTime() ?? 0,
    );
    expect(dates).toEqual([...dates].sort((a, b) => b - a));
  });

  it('answers the SDK exception classes for unknown executions, state machines and bad input', async () => {
    // Act + Assert
    await expect(
      sfn.send(
        new DescribeExecutionCommand({
          executionArn: 'arn:aws:states:us-east-1:000000000000:execution:SampleWorkflow:nope',
        }),
      ),
    ).rejects.toBeInstanceOf(ExecutionDoesNotExist);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: stateMachineArn('Nope'), input: '{}' })),
    ).rejects.toBeInstanceOf(StateMachineDoesNotExist);
    await expect(
      sfn.send(new StartExecutionCommand({ stateMachineArn: SAMPLE_ARN, input: '{not json' })),
    ).rejects.toBeInstanceOf(InvalidExecutionInput);
  });

  it('describes and lists the state machines', async () => {
    // Act
    const described = await sfn.send(new DescribeStateMachineCommand({ stateMachineArn: SAMPLE_ARN }));
    const listed = await sfn.send(new ListStateMachinesCommand({}));

    // Assert
    expect(described).toMatchObject({
      stateMachineArn: SAMPLE_ARN,
      name: 'SampleWorkflow',
      type: 'STANDARD',
    });
    expect(JSON.parse(described.definition ?? '{}')).toEqual(definitions.SampleWorkflow?.definition);
    expect(listed.stateMachines?.map((m) => m.name)).toEqual(['SampleWorkflow']);
  });

  it('refuses a definition with a Task it has no local handler for', async () => {
    // Arrange
    const definition = {
      StartAt: 'Send',
      States: {
        Send: {
          Type: 'Task',
          Resource: 'arn:aws:states:::sqs:sendMessage',
          Parameters: { QueueUrl: 'q' },
          End: true,
        },
      },
    };

    // Act
    const starting = startStepFunctions({
      definitions: {
        Other: { definition, taskFunctions: {}, serviceTasks: { Send: 'arn:aws:states:::sqs:sendMessage' } },
      },
      invoke,
    });

    // Assert
    await expect(starting).rejects.toThrow(/Task Send .* has no local handler/);
  });
});
