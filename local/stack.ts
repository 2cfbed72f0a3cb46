import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { createServer } from 'node:http';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SFNClient } from '@aws-sdk/client-sfn';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { countUsage, resetUsage, usage } from '#observability/sdk-usage';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import { QUEUES, type QueueKey } from '#topology/queues';
import { TABLE } from '#topology/table';
import { BUCKETS, WORKFLOWS } from '#topology/workflows';
import { pascalCase } from '../infra/config';
import { DROP_SIDECAR_PATTERN } from '../infra/constructs/file-drop-trigger';
import { startApiGateway } from './api-gateway';
import { createTable, startDynamoDbLocal } from './dynamodb-local';
import { startQueuesAndBuckets } from './fauxqs';
import { listen } from './listen';
import { startS3EventBridge } from './s3-event-bridge';
import { startS3UploadProxy } from './s3-upload-proxy';
import { sfnStartExecution, startScheduler } from './scheduler';
import { LOCAL_ACCOUNT_ID, makeLambdaContext, startSqsPoller } from './sqs-poller';
import {
  loadStateMachineDefinitions,
  localLambdaInvoker,
  startStepFunctions,
  stateMachineArn,
} from './step-functions';
import { workflowEndEvents } from './workflow-end-events';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

export interface StackInfo {
  apiUrl: string;
  carrierUrl: string;
  /** Local only: `GET|DELETE {diagnosticsUrl}/usage` — AWS requests, DynamoDB capacity, invocations. */
  diagnosticsUrl: string;
  operatorKey: string;
  demo: { accountId: string; apiKey: string; username: string; password: string; sender: string };
  endpoints: { dynamodb: string; sqs: string; s3: string; scheduler: string; sfn: string };
  tableName: string;
  queueUrls: Record<QueueKey, string>;
  dlqUrls: Record<QueueKey, string>;
}

export interface LocalStack {
  readonly info: StackInfo;
  stop(): Promise<void>;
}

export interface StartOptions {
  /** API port; 0 = a free one. */
  port?: number;
  /** Write `.local/stack.json` (npm start does; tests don't). */
  writeStackFile?: boolean;
  /** Carrier simulator rate (parts/s) and DLR delays. */
  carrier?: { ratePerSecond?: number; dlrMinDelayMs?: number; dlrMaxDelayMs?: number };
  log?: (line: string) => void;
  /** Scales workflow Wait states (1 = real seconds; tests use less). */
  waitTimeScale?: number;
}

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * Starts the whole platform on this machine: DynamoDB Local, fauxqs (SQS + S3), the carrier simulator
 * (a separate process), the HTTP API adapter running the real handlers, and a poller per queue running
 * the real consumers — all from the one topology in `shared/topology`. Seeds the demo account.
 */
export async function startLocalStack(options: StartOptions = {}): Promise<LocalStack> {
  const log = options.log ?? (() => {});
  const stops: (() => Promise<void>)[] = [];
  const stop = async () => {
    for (const s of stops.reverse()) await s().catch((e: unknown) => log(`stop failed: ${String(e)}`));
  };
  try {
    const dynamo = await startDynamoDbLocal();
    stops.push(() => dynamo.stop());
    const queues = await startQueuesAndBuckets({ buckets: [BUCKETS.uploads.localName] });
    stops.push(() => queues.stop());
    // S3 goes through a proxy that lifts fauxqs' 11 MiB body limit for large PUTs (local/s3-upload-proxy.ts).
    const s3 = await startS3UploadProxy({
      upstream: queues.endpoint,
      onError: (e, request) => log(`S3 ${request} failed: ${String(e)}`),
    });
    stops.push(() => s3.stop());

    const operatorKey = `op_${randomBytes(24).toString('base64url')}`;
    const webhookSecret = randomBytes(24).toString('base64url');
    const carrierApiKey = randomBytes(18).toString('base64url');
    Object.assign(process.env, {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'local',
      AWS_SECRET_ACCESS_KEY: 'local',
      AWS_ENDPOINT_URL_DYNAMODB: dynamo.endpoint,
      AWS_ENDPOINT_URL_SQS: queues.endpoint,
      AWS_ENDPOINT_URL_S3: s3.endpoint,
      TABLE_NAME: TABLE.localName,
      [BUCKETS.uploads.env]: BUCKETS.uploads.localName,
      SCHEDULER_GROUP: 'sms-platform-batches',
      SCHEDULER_ROLE_ARN: 'arn:aws:iam::000000000000:role/local-batch-scheduler',
      CARRIER: 'sim',
      CARRIER_SIM_API_KEY: carrierApiKey,
      CARRIER_WEBHOOK_SECRET: webhookSecret,
      POWERTOOLS_TRACE_ENABLED: 'false',
      // Callback receivers of a local stack (and its tests) listen on 127.0.0.1.
      CALLBACKS_ALLOW_PRIVATE_HOSTS: 'true',
      SDK_USAGE_COUNTING: 'true',
      POWERTOOLS_METRICS_DISABLED: 'true',
      POWERTOOLS_LOG_LEVEL: process.env.POWERTOOLS_LOG_LEVEL ?? 'ERROR',
      ...Object.fromEntries(Object.values(QUEUES).map((q) => [q.urlEnv, queues.queueUrls[keyOf(q.name)]])),
    });
    await createTable(new DynamoDBClient({ endpoint: dynamo.endpoint }), TABLE.localName);

    const handlers = new Map<FunctionName, Promise<AnyHandler>>();
    const loadHandler = (name: FunctionName) => {
      let loaded = handlers.get(name);
      if (!loaded) {
        loaded = import(join(ROOT, 'functions', name, 'handler.ts')).then(
          (m: { handler: AnyHandler }): AnyHandler =>
            (event, context) => {
              usage().invocations[name] = (usage().invocations[name] ?? 0) + 1;
              return m.handler(event, context);
            },
        );
        handlers.set(name, loaded);
      }
      return loaded;
    };
    const api = await startApiGateway({
      port: options.port ?? 0,
      operatorKey,
      loadHandler: loadHandler as never,
    });
    stops.push(() => api.close());

    const carrier = await startCarrierProcess({
      SIM_PORT: '0',
      SIM_API_KEY: carrierApiKey,
      SIM_WEBHOOK_SECRET: webhookSecret,
      SIM_DLR_URL: `${api.url}/v1/webhooks/carrier/sim/dlr`,
      SIM_MO_URL: `${api.url}/v1/webhooks/carrier/sim/mo`,
      SIM_RATE_PER_SECOND: String(options.carrier?.ratePerSecond ?? 100),
      SIM_DLR_MIN_DELAY_MS: String(options.carrier?.dlrMinDelayMs ?? 100),
      SIM_DLR_MAX_DELAY_MS: String(options.carrier?.dlrMaxDelayMs ?? 1500),
    });
    stops.push(carrier.stop);
    process.env.CARRIER_SIM_URL = carrier.url;

    // Step Functions runs the state machines the CDK app synthesizes, with every Task on a local handler.
    const definitions = await loadStateMachineDefinitions({
      locals: {
        tableName: TABLE.localName,
        queueUrls: queues.queueUrls,
        queueArns: queues.queueArns,
        dlqUrls: queues.dlqUrls,
        dlqArns: queues.dlqArns,
        bucketNames: { UploadBucket: BUCKETS.uploads.localName },
      },
    });
    const sfn = await startStepFunctions({
      definitions,
      invoke: localLambdaInvoker(loadHandler as never),
      waitTimeScale: options.waitTimeScale ?? 1,
      // The EventBridge rules of infra/constructs/workflow-end-rules.ts.
      onExecutionClosed: workflowEndEvents({
        deliver: async (fn, event) => (await loadHandler(fn))(event, makeLambdaContext(fn)),
        onError: (e, run) =>
          log(`${run.executionArn} ended ${run.status}; its recovery failed: ${String(e)}`),
      }),
    });
    stops.push(() => sfn.stop());
    const scheduler = await startScheduler({
      targets: {
        startExecution: sfnStartExecution(new SFNClient({ endpoint: sfn.endpoint })),
        // Recurring campaign schedules invoke run-recurring-campaign, as Scheduler invokes the Lambda.
        invokeFunction: async (fn, event) => {
          await (await loadHandler(fn))(event, makeLambdaContext(fn));
        },
      },
      onError: (e) => log(`schedule failed: ${String(e)}`),
    });
    stops.push(() => scheduler.stop());
    Object.assign(process.env, {
      AWS_ENDPOINT_URL_SFN: sfn.endpoint,
      AWS_ENDPOINT_URL_SCHEDULER: scheduler.endpoint,
      SCHEDULE_TARGET_ARN: `arn:aws:lambda:us-east-1:${LOCAL_ACCOUNT_ID}:function:run-recurring-campaign`,
      ...Object.fromEntries(
        Object.entries(WORKFLOWS).map(([key, spec]) => [
          spec.arnEnv,
          stateMachineArn(`${pascalCase(key)}Workflow`),
        ]),
      ),
    });

    // The pollers stand in for Lambda's event source mappings, whose SQS requests AWS bills too.
    const sqs = new SQSClient({ endpoint: queues.endpoint });
    countUsage(sqs, 'SQS');
    const diagnostics = await startDiagnostics();
    stops.push(diagnostics.stop);
    for (const [key, queue] of Object.entries(QUEUES) as [QueueKey, (typeof QUEUES)[QueueKey]][]) {
      const handler = await loadHandler(queue.consumer);
      const poller = startSqsPoller({
        client: sqs,
        queueUrl: queues.queueUrls[key],
        queueArn: queues.queueArns[key],
        functionName: queue.consumer,
        batchSize: queue.batchSize,
        maxBatchingWindowSeconds: queue.maxBatchingWindowSeconds,
        handler: handler as (event: SQSEvent, context: Context) => Promise<never>,
        waitTimeSeconds: 1,
        onError: (e) => log(`consumer ${queue.consumer} failed: ${String(e)}`),
      });
      stops.push(() => poller.stop());
    }

    // ── S3 file drops ─────────────────────────────────────────────────────────────────────────────────
    // fauxqs sends no S3 event notifications: sidecar uploads reach receive-file-drop through its message
    // spy, as the deployed S3 → EventBridge rule (infra/constructs/file-drop-trigger.ts) delivers them.
    const fileDrops = startS3EventBridge({
      spy: queues.server.spy,
      endpoint: queues.endpoint,
      bucket: BUCKETS.uploads.localName,
      keyPattern: DROP_SIDECAR_PATTERN,
      deliver: async (event, context) => (await loadHandler('receive-file-drop'))(event, context),
      context: () => makeLambdaContext('receive-file-drop'),
      onError: (e, key) => log(`file drop ${key}: receive-file-drop failed: ${String(e)}`),
    });
    stops.push(() => fileDrops.stop());
    // ──────────────────────────────────────────────────────────────────────────────────────────────────

    const demo = await seedDemoAccount(api.url, operatorKey);
    const info: StackInfo = {
      apiUrl: api.url,
      carrierUrl: carrier.url,
      diagnosticsUrl: diagnostics.url,
      operatorKey,
      demo,
      endpoints: {
        dynamodb: dynamo.endpoint,
        sqs: queues.endpoint,
        s3: s3.endpoint,
        scheduler: scheduler.endpoint,
        sfn: sfn.endpoint,
      },
      tableName: TABLE.localName,
      queueUrls: queues.queueUrls,
      dlqUrls: queues.dlqUrls,
    };
    if (options.writeStackFile) {
      const file = join(ROOT, '.local', 'stack.json');
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, `${JSON.stringify(info, null, 2)}\n`, { mode: 0o600 });
    }
    return { info, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** A tiny local-only server reporting what the platform asked of AWS (docs/cost.md measurements). */
async function startDiagnostics(): Promise<{ url: string; stop: () => Promise<void> }> {
  const server = createServer((req, res) => {
    if (req.url !== '/usage') {
      res.writeHead(404).end();
      return;
    }
    if (req.method === 'DELETE') resetUsage();
    res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(usage()));
  });
  return {
    url: await listen(server),
    stop: () => new Promise<void>((done) => server.close(() => done())),
  };
}

function keyOf(name: string): QueueKey {
  const entry = Object.entries(QUEUES).find(([, q]) => q.name === name);
  if (!entry) throw new Error(`No queue ${name}`);
  return entry[0] as QueueKey;
}

/** The carrier simulator runs as its own process: the platform only ever reaches it over HTTP. */
async function startCarrierProcess(
  env: Record<string, string>,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--import', 'tsx', join(ROOT, 'local/carrier-simulator/main.ts')],
    {
      cwd: ROOT,
      env: { ...process.env, ...env },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const exited = new Promise<void>((done) => child.once('exit', () => done()));
  const url = await new Promise<string>((done, fail) => {
    const timer = setTimeout(() => fail(new Error('carrier simulator did not start in 20 s')), 20_000);
    child.once('exit', (code) => fail(new Error(`carrier simulator exited (${code})`)));
    if (!child.stdout) return fail(new Error('no stdout'));
    createInterface({ input: child.stdout }).on('line', (line) => {
      const match = /^LISTENING (\S+)/.exec(line);
      if (match?.[1]) {
        clearTimeout(timer);
        done(match[1]);
      }
    });
  });
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 5_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

async function seedDemoAccount(apiUrl: string, operatorKey: string): Promise<StackInfo['demo']> {
  const password = randomBytes(12).toString('base64url');
  const headers = { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' };
  const created = await fetch(`${apiUrl}/v1/admin/accounts`, {
    method: 'POST',
    headers,
    body: JSON.stringify({
      name: 'Demo SRL',
      country: 'RO',
      timezone: 'Europe/Bucharest',
      senderIds: ['DemoShop', '1898'],
      username: 'demo',
      password,
    }),
  });
  if (created.status !== 201)
    throw new Error(`seeding the demo account failed: ${created.status} ${await created.text()}`);
  const account = (await created.json()) as { id: string; apiKey: string; senderIds: string[] };
  const credited = await fetch(`${apiUrl}/v1/admin/accounts/${account.id}/credit`, {
    method: 'POST',
    headers,
    body: JSON.stringify({ amount: '100.0000', reason: 'Demo credit' }),
  });
  if (credited.status !== 200) throw new Error(`crediting the demo account failed: ${credited.status}`);
  return {
    accountId: account.id,
    apiKey: account.apiKey,
    username: 'demo',
    password,
    sender: account.senderIds[0] ?? 'DemoShop',
  };
}

export { FUNCTIONS };
