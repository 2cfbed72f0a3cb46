/**
 * Local AWS Step Functions: the state machines the CDK app defines, run in-process by
 * `aws-local-stepfunctions`, behind a `node:http` server that speaks the Step Functions JSON 1.0 protocol,
 * so handlers use the real `@aws-sdk/client-sfn` (`AWS_ENDPOINT_URL_SFN`).
 *
 * For `local/stack.ts` (not wired yet):
 *
 * ```ts
 * const definitions = await loadStateMachineDefinitions({
 *   locals: {
 *     tableName: TABLE.localName,
 *     queueUrls: queues.queueUrls, queueArns: queues.queueArns, dlqUrls: queues.dlqUrls, dlqArns: queues.dlqArns,
 *     bucketNames: { UploadBucket: 'uploads' },
 *   },
 * });
 * const sfn = await startStepFunctions({ definitions, invoke: localLambdaInvoker(loadHandler) });
 * stops.push(() => sfn.stop());
 * process.env.AWS_ENDPOINT_URL_SFN = sfn.endpoint;
 * process.env.SOME_STATE_MACHINE_ARN = stateMachineArn('AnalyseBatchWorkflow'); // keys: Object.keys(definitions)
 * ```
 *
 * Operations: StartExecution, DescribeExecution, StopExecution, ListExecutions, DescribeStateMachine,
 * ListStateMachines; errors in the AWS JSON shape (`__type`), so the SDK raises its own exception classes.
 *
 * Differences from AWS (on purpose or unavoidable):
 * - Executions live in memory; `stop()` aborts the running ones. No execution history API.
 * - Every Task must be a Lambda task (`arn:aws:lambda:…:function:<name>` or `arn:aws:states:::lambda:invoke`
 *   with a static FunctionName) or a service task given an `integrations` handler; anything else is
 *   refused at start, so nothing ever reaches real AWS. `.waitForTaskToken`/`.sync` are refused.
 * - `waitTimeScale` scales Wait states and Retry intervals (never Task timeouts).
 * - A Task without TimeoutSeconds gets no local timeout (the interpreter's own default would be 60 s; in AWS
 *   the Lambda's timeout governs, which `localLambdaInvoker` applies). Timeouts above ~23 days are dropped
 *   (Node timers cannot express them).
 * - A Lambda result over 256 KiB fails the execution with the terminal States.DataLimitExceeded.
 * - Inside a Map iteration, `$$.Execution.Input` is the iteration's input (interpreter limitation).
 * - StopExecution of a closed execution succeeds and changes nothing.
 */
import { createServer } from 'node:http';
import type { Context } from 'aws-lambda';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import { listen } from './listen';
import { makeLambdaContext } from './sqs-poller';
import { reply, serve } from './step-functions-api';
import {
  type Execution,
  finish,
  type LambdaInvoker,
  type PreparedMachine,
  prepare,
  type StepFunctionsOptions,
  statusChange,
} from './step-functions-engine';
import { stateMachineArn } from './step-functions-resolver';

export {
  type LoadOptions,
  type LocalResourceNames,
  loadStateMachineDefinitions,
  type ResourceReference,
  type StateMachineDefinitions,
  type StateMachineEntry,
  stateMachineEntry,
} from './step-functions-definitions';
export type { ExecutionStatusChange, LambdaInvoker, StepFunctionsOptions } from './step-functions-engine';
export { functionArn, stateMachineArn } from './step-functions-resolver';

export interface LocalStepFunctions {
  /** `http://127.0.0.1:<port>`: `AWS_ENDPOINT_URL_SFN`, or `new SFNClient({ endpoint })`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

/** Starts the local Step Functions endpoint. Validates every definition first (as CreateStateMachine would). */
export async function startStepFunctions(options: StepFunctionsOptions): Promise<LocalStepFunctions> {
  const scale = options.waitTimeScale ?? 1;
  if (!(scale >= 0)) throw new Error('waitTimeScale must be ≥ 0');
  const machines = new Map<string, PreparedMachine>();
  for (const [key, entry] of Object.entries(options.definitions)) {
    machines.set(stateMachineArn(key), prepare(key, entry, scale, options.integrations ?? {}));
  }
  const executions = new Map<string, Execution>();
  let stopping = false;
  const listener = options.onExecutionClosed;
  const onClosed = listener
    ? (execution: Execution) => {
        if (!stopping) listener(statusChange(execution));
      }
    : undefined;
  const engine = { machines, executions, options, scale, ...(onClosed ? { onClosed } : {}) };
  const server = createServer((req, res) => {
    serve(req, res, engine).catch((error: unknown) => {
      console.error('[step-functions] unexpected failure', error);
      if (!res.headersSent) reply(res, 500, { __type: 'InternalFailure', message: String(error) });
      else res.destroy();
    });
  });
  const endpoint = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    endpoint,
    stop: async () => {
      stopping = true;
      for (const execution of executions.values()) {
        if (execution.status === 'RUNNING') finish(execution, 'ABORTED', { error: 'States.Aborted' });
      }
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

type AnyHandler = (event: unknown, context: Context) => Promise<unknown>;

/**
 * An `invoke` for `startStepFunctions` that runs the function's local handler with a Lambda context and
 * stops waiting at the function's timeout (error `Sandbox.Timedout`, as Step Functions reports it).
 */
export function localLambdaInvoker(loadHandler: (fn: FunctionName) => Promise<AnyHandler>): LambdaInvoker {
  return async (fn, payload) => {
    const handler = await loadHandler(fn);
    const context = makeLambdaContext(fn);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        const error = new Error(
          `RequestId: ${context.awsRequestId} Error: Task timed out after ${FUNCTIONS[fn].timeoutSeconds.toFixed(2)} seconds`,
        );
        error.name = 'Sandbox.Timedout';
        reject(error);
      }, context.getRemainingTimeInMillis());
    });
    try {
      return await Promise.race([handler(payload, context), timeout]);
    } finally {
      clearTimeout(timer);
    }
  };
}
