import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError } from './aws-api-error';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './sqs-poller';
import type { Asl } from './step-functions-definitions';
import {
  type Engine,
  type Execution,
  finish,
  type PreparedMachine,
  roleArn,
  run,
  STATUSES,
} from './step-functions-engine';
import { MAX_PAYLOAD_BYTES } from './step-functions-tasks';

/** The Step Functions JSON 1.0 operations of the local Step Functions (see step-functions.ts). */

/** AWS execution names: 1–80 characters, no whitespace, brackets, wildcards, specials or control characters. */
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

function startExecution(engine: Engine, body: Asl) {
  const machine = machineFor(engine, body.stateMachineArn);
  const name = body.name === undefined ? randomUUID() : String(body.name);
  if (!NAME.test(name)) throw new ApiError('InvalidName', `Invalid Name: '${name}'`);
  const input = body.input === undefined ? '{}' : String(body.input);
  if (Buffer.byteLength(input) > MAX_PAYLOAD_BYTES)
    throw new ApiError('ValidationException', 'input must be at most 262144 characters');
  let parsed: unknown;
  try {
    parsed = JSON.parse(input);
  } catch {
    throw new ApiError('InvalidExecutionInput', `Invalid State Machine Execution Input: '${input}'`);
  }
  const arn = `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:execution:${machine.key}:${name}`;
  const existing = engine.executions.get(arn);
  if (existing) {
    // AWS: same name and input while RUNNING → the same execution; closed, or other input → an error.
    if (existing.status === 'RUNNING' && existing.input === input)
      return { executionArn: arn, startDate: existing.startDate / 1000 };
    throw new ApiError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
  }
  const execution: Execution = {
    arn,
    name,
    machine,
    input,
    startDate: Date.now(),
    status: 'RUNNING',
    ...(engine.onClosed ? { onClosed: engine.onClosed } : {}),
  };
  engine.executions.set(arn, execution);
  run(engine, execution, parsed);
  return { executionArn: arn, startDate: execution.startDate / 1000 };
}

function machineFor(engine: Engine, arn: unknown): PreparedMachine {
  if (typeof arn !== 'string' || !/^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/.test(arn))
    throw new ApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  const machine = engine.machines.get(arn);
  if (!machine) throw new ApiError('StateMachineDoesNotExist', `State Machine Does Not Exist: '${arn}'`);
  return machine;
}

function executionFor(engine: Engine, arn: unknown): Execution {
  if (typeof arn !== 'string' || !/^arn:aws:states:[^:]+:\d{12}:execution:[^:]+:[^:]+$/.test(arn))
    throw new ApiError('InvalidArn', `Invalid Arn: '${String(arn)}'`);
  const execution = engine.executions.get(arn);
  if (!execution) throw new ApiError('ExecutionDoesNotExist', `Execution Does Not Exist: '${arn}'`);
  return execution;
}

const seconds = (ms: number | undefined) => (ms === undefined ? undefined : ms / 1000);

const OPERATIONS: Record<string, (engine: Engine, body: Asl) => unknown> = {
  StartExecution: startExecution,
  DescribeExecution: (engine, body) => {
    const e = executionFor(engine, body.executionArn);
    return {
      executionArn: e.arn,
      stateMachineArn: e.machine.arn,
      name: e.name,
      status: e.status,
      startDate: seconds(e.startDate),
      stopDate: seconds(e.stopDate),
      input: e.input,
      inputDetails: { included: true },
      ...(e.output === undefined ? {} : { output: e.output, outputDetails: { included: true } }),
      error: e.error,
      cause: e.cause,
    };
  },
  StopExecution: (engine, body) => {
    const e = executionFor(engine, body.executionArn);
    finish(e, 'ABORTED', {
      ...(body.error === undefined ? {} : { error: String(body.error) }),
      ...(body.cause === undefined ? {} : { cause: String(body.cause) }),
    });
    return { stopDate: seconds(e.stopDate) };
  },
  ListExecutions: (engine, body) => {
    const machine = machineFor(engine, body.stateMachineArn);
    if (body.statusFilter !== undefined && !STATUSES.has(body.statusFilter))
      throw new ApiError('ValidationException', `Invalid statusFilter: ${body.statusFilter}`);
    const all = [...engine.executions.values()]
      .filter((e) => e.machine === machine && (!body.statusFilter || e.status === body.statusFilter))
      .sort((a, b) => b.startDate - a.startDate);
    const { items, nextToken } = page(all, body);
    return {
      executions: items.map((e) => ({
        executionArn: e.arn,
        stateMachineArn: machine.arn,
        name: e.name,
        status: e.status,
        startDate: seconds(e.startDate),
        stopDate: seconds(e.stopDate),
      })),
      nextToken,
    };
  },
  DescribeStateMachine: (engine, body) => {
    const m = machineFor(engine, body.stateMachineArn);
    return {
      stateMachineArn: m.arn,
      name: m.key,
      status: 'ACTIVE',
      definition: JSON.stringify(m.entry.definition),
      roleArn: roleArn(m.key),
      type: 'STANDARD',
      creationDate: seconds(m.createdAt),
    };
  },
  ListStateMachines: (engine, body) => {
    const all = [...engine.machines.values()].sort((a, b) => a.key.localeCompare(b.key));
    const { items, nextToken } = page(all, body);
    return {
      stateMachines: items.map((m) => ({
        stateMachineArn: m.arn,
        name: m.key,
        type: 'STANDARD',
        creationDate: seconds(m.createdAt),
      })),
      nextToken,
    };
  },
};

function page<T>(all: T[], body: Asl): { items: T[]; nextToken?: string } {
  const size = body.maxResults ? Number(body.maxResults) : 100;
  if (!Number.isInteger(size) || size < 1 || size > 1000)
    throw new ApiError('ValidationException', 'maxResults must be between 1 and 1000');
  const start = body.nextToken ? Number(Buffer.from(String(body.nextToken), 'base64url').toString()) : 0;
  if (!Number.isInteger(start) || start < 0) throw new ApiError('InvalidToken', 'Invalid pagination token');
  const items = all.slice(start, start + size);
  const next = start + size;
  return next < all.length
    ? { items, nextToken: Buffer.from(String(next)).toString('base64url') }
    : { items };
}

export async function serve(req: IncomingMessage, res: ServerResponse, engine: Engine): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const target = String(req.headers['x-amz-target'] ?? '');
    const operation = target.startsWith('AWSStepFunctions.') ? OPERATIONS[target.slice(17)] : undefined;
    if (req.method !== 'POST' || !operation)
      throw new ApiError('UnknownOperationException', `Unknown operation ${target || req.method}`);
    let body: Asl;
    try {
      const text = Buffer.concat(chunks).toString('utf8');
      body = text ? JSON.parse(text) : {};
    } catch {
      throw new ApiError('SerializationException', 'Request body is not JSON');
    }
    reply(res, 200, operation(engine, body ?? {}));
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    reply(res, error.status, { __type: error.type, message: error.message });
  }
}

export function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(json);
}
