import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import type { FunctionName } from '#topology/functions';
import { LOCAL_ACCOUNT_ID } from './sqs-poller';
import {
  type Asl,
  LAMBDA_INVOKE,
  type StateMachineDefinitions,
  type StateMachineEntry,
} from './step-functions-definitions';
import { stateMachineArn } from './step-functions-resolver';
import { lambdaTask, MAX_TIMER_SECONDS, taskError, waitTask } from './step-functions-tasks';

/** The executions of the local Step Functions, run by `aws-local-stepfunctions` (see step-functions.ts). */

export type LambdaInvoker = (fn: FunctionName, payload: unknown) => Promise<unknown>;

export interface StepFunctionsOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  definitions: StateMachineDefinitions;
  /** Runs a function's local handler (with a Lambda context); a thrown error is the Lambda error. */
  invoke: LambdaInvoker;
  /** Handlers for service-integration Tasks, by Resource (e.g. `arn:aws:states:::sqs:sendMessage`). */
  integrations?: Record<string, (parameters: unknown) => Promise<unknown>>;
  /** Multiplies Wait durations and Retry intervals: 1 = real time, 0.01 in tests. @default 1 */
  waitTimeScale?: number;
  /**
   * Told of every execution that closes, as AWS sends "Step Functions Execution Status Change" events to
   * EventBridge (the event's `detail`); not for the executions `stop()` aborts while shutting down.
   */
  onExecutionClosed?: (detail: ExecutionStatusChange) => void;
}

/** The `detail` of an EventBridge "Step Functions Execution Status Change" event. */
export interface ExecutionStatusChange {
  readonly executionArn: string;
  readonly stateMachineArn: string;
  readonly name: string;
  readonly status: Exclude<Status, 'RUNNING'>;
  readonly startDate: number;
  readonly stopDate: number;
  readonly input: string;
  readonly output: string | null;
  readonly error: string | null;
  readonly cause: string | null;
}

export type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
export const STATUSES = new Set<string>([
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
]);

export interface Execution {
  readonly arn: string;
  readonly name: string;
  readonly machine: PreparedMachine;
  readonly input: string;
  readonly startDate: number;
  status: Status;
  stopDate?: number;
  output?: string;
  error?: string;
  cause?: string;
  abort?: () => void;
  /** Called once, when the execution closes (`onExecutionClosed`). */
  onClosed?: (execution: Execution) => void;
}

export interface PreparedMachine {
  readonly key: string;
  readonly arn: string;
  readonly entry: StateMachineEntry;
  readonly machine: StateMachine;
  readonly invokeStates: ReadonlySet<string>;
  readonly waitStates: ReadonlySet<string>;
  readonly createdAt: number;
}

export function prepare(
  key: string,
  entry: StateMachineEntry,
  scale: number,
  integrations: Record<string, unknown>,
): PreparedMachine {
  // Validates the definition as written (throws with the validator's findings).
  new StateMachine(entry.definition as StateMachineDefinition);
  const invokeStates = new Set<string>();
  const waitStates = new Set<string>();
  const definition = structuredClone(entry.definition) as Asl;
  const rewrite = (scope: Asl) => {
    for (const [name, state] of Object.entries<Asl>(scope.States)) {
      if (state.Retry) state.Retry = state.Retry.map((r: Asl) => scaleRetrier(r, scale));
      if (state.Type === 'Map') rewrite(state.ItemProcessor ?? state.Iterator);
      if (state.Type === 'Parallel') for (const branch of state.Branches) rewrite(branch);
      if (state.Type === 'Task') {
        if (!entry.taskFunctions[name] && !(entry.serviceTasks?.[name] && integrations[state.Resource]))
          throw new Error(`${key}: Task ${name} (${state.Resource}) has no local handler`);
        if (LAMBDA_INVOKE.test(state.Resource)) invokeStates.add(name);
        if (state.TimeoutSeconds === undefined && state.TimeoutSecondsPath === undefined)
          state.TimeoutSeconds = MAX_TIMER_SECONDS;
      }
      if (state.Type === 'Wait') {
        scope.States[name] = waitAsTask(state);
        waitStates.add(name);
      }
    }
  };
  rewrite(definition);
  if (definition.TimeoutSeconds > MAX_TIMER_SECONDS) delete definition.TimeoutSeconds;
  return {
    key,
    arn: stateMachineArn(key),
    entry,
    machine: new StateMachine(definition, { validationOptions: { noValidate: true } }),
    invokeStates,
    waitStates,
    createdAt: Date.now(),
  };
}

function scaleRetrier(retrier: Asl, scale: number): Asl {
  const scaled = { ...retrier, IntervalSeconds: (retrier.IntervalSeconds ?? 1) * scale };
  if (retrier.MaxDelaySeconds !== undefined) scaled.MaxDelaySeconds = retrier.MaxDelaySeconds * scale;
  return scaled;
}

/**
 * A Wait becomes a Task whose local handler sleeps (scaled) and returns its input: the interpreter can only
 * override Wait durations with fixed values, and `SecondsPath` comes from the input. Same data flow: a Wait's
 * output is its input after InputPath, then OutputPath; so is this Task's (no ResultPath).
 */
function waitAsTask(wait: Asl): Asl {
  const { Seconds, SecondsPath, Timestamp, TimestampPath, Type: _type, ...rest } = wait;
  const timing =
    Seconds !== undefined
      ? { seconds: Seconds }
      : SecondsPath !== undefined
        ? { 'seconds.$': SecondsPath }
        : Timestamp !== undefined
          ? { timestamp: Timestamp }
          : { 'timestamp.$': TimestampPath };
  return {
    ...rest,
    Type: 'Task',
    Resource: 'arn:aws:states:::local:wait',
    Parameters: { 'input.$': '$', ...timing },
    TimeoutSeconds: MAX_TIMER_SECONDS,
  };
}

export interface Engine {
  readonly machines: Map<string, PreparedMachine>;
  readonly executions: Map<string, Execution>;
  readonly options: StepFunctionsOptions;
  readonly scale: number;
  readonly onClosed?: (execution: Execution) => void;
}

export function run(engine: Engine, execution: Execution, input: unknown): void {
  const controller = new AbortController();
  const { machine } = execution;
  const handlers: Record<string, (input: unknown) => Promise<unknown>> = {};
  for (const [state, fn] of Object.entries(machine.entry.taskFunctions)) {
    const wrapped = machine.invokeStates.has(state);
    handlers[state] = (params) => lambdaTask(engine.options.invoke, fn, params, wrapped, controller.signal);
  }
  for (const [state, resource] of Object.entries(machine.entry.serviceTasks ?? {})) {
    const integration = engine.options.integrations?.[resource];
    if (integration) handlers[state] = (params) => integration(params).catch(taskError);
  }
  for (const state of machine.waitStates) {
    handlers[state] = (params) => waitTask(params, engine.scale, controller.signal);
  }
  const running = machine.machine.run(input as never, {
    overrides: { taskResourceLocalHandlers: handlers as never },
    context: {
      Execution: { Id: execution.arn, Name: execution.name, RoleArn: roleArn(machine.key) },
      StateMachine: { Id: machine.arn, Name: machine.key },
    },
  });
  execution.abort = () => {
    controller.abort();
    running.abort();
  };
  running.result.then(
    (output) => finish(execution, 'SUCCEEDED', { output: JSON.stringify(output ?? null) }),
    (error: unknown) => {
      if (error instanceof ExecutionAbortedError) return; // StopExecution already recorded it
      if (error instanceof ExecutionTimeoutError)
        return finish(execution, 'TIMED_OUT', { error: 'States.Timeout', cause: 'The execution timed out' });
      const failure = error instanceof ExecutionError ? (error.cause as Error) : (error as Error);
      finish(execution, 'FAILED', errorAndCause(failure));
    },
  );
}

/** The interpreter's Fail state error carries its defaults when the state has no Error/Cause. */
function errorAndCause(failure: Error): { error?: string; cause?: string } {
  if (failure?.constructor?.name === 'FailStateError') {
    const defaults = failure.name === 'FailStateError';
    const noCause = failure.message === 'Execution failed because of a Fail state';
    return { ...(defaults ? {} : { error: failure.name }), ...(noCause ? {} : { cause: failure.message }) };
  }
  return { error: failure?.name ?? 'States.Runtime', cause: failure?.message ?? String(failure) };
}

export function finish(execution: Execution, status: Status, result: Partial<Execution>): void {
  if (execution.status !== 'RUNNING') return;
  Object.assign(execution, result, { status, stopDate: Date.now() });
  const abort = execution.abort;
  execution.abort = undefined;
  if (status === 'ABORTED') abort?.();
  execution.onClosed?.(execution);
}

export function statusChange(execution: Execution): ExecutionStatusChange {
  if (execution.status === 'RUNNING') throw new Error(`${execution.arn} is still running`);
  return {
    executionArn: execution.arn,
    stateMachineArn: execution.machine.arn,
    name: execution.name,
    status: execution.status,
    startDate: execution.startDate,
    stopDate: execution.stopDate ?? Date.now(),
    input: execution.input,
    output: execution.output ?? null,
    error: execution.error ?? null,
    cause: execution.cause ?? null,
  };
}

export function roleArn(key: string): string {
  return `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${key}-local`;
}
