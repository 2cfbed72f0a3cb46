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
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Stack } from 'aws-cdk-lib';
import type { Context } from 'aws-lambda';
import {
  ExecutionAbortedError,
  ExecutionError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import { QUEUES, type QueueKey } from '#topology/queues';
import { pascalCase } from '../infra/config';
import { listen } from './listen';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION, makeLambdaContext } from './sqs-poller';

// ---------------------------------------------------------------------------------------------------------
// Definitions: from the CDK app to ASL with local names
// ---------------------------------------------------------------------------------------------------------

// biome-ignore lint/suspicious/noExplicitAny: Amazon States Language JSON
type Asl = any;

export interface StateMachineEntry {
  /** The ASL, every CloudFormation reference replaced by its local name. */
  readonly definition: object;
  /** Task state name → the FUNCTIONS entry it invokes (states of nested Map/Parallel included). */
  readonly taskFunctions: Record<string, FunctionName>;
  /** Task state name → Resource, for Tasks that call another AWS service (need `integrations`). */
  readonly serviceTasks?: Record<string, string>;
  /** Where the state machine is in the CDK app (diagnostics). */
  readonly constructPath?: string;
}

/** Keyed by the id of the construct that owns the state machine, e.g. `AnalyseBatchWorkflow`. */
export type StateMachineDefinitions = Record<string, StateMachineEntry>;

/** Local names of the app's resources, as the local stack created them. */
export interface LocalResourceNames {
  tableName?: string;
  queueUrls?: Partial<Record<QueueKey, string>>;
  queueArns?: Partial<Record<QueueKey, string>>;
  dlqUrls?: Partial<Record<QueueKey, string>>;
  dlqArns?: Partial<Record<QueueKey, string>>;
  /** Bucket construct id → local bucket name, e.g. `{ UploadBucket: 'uploads' }`. */
  bucketNames?: Record<string, string>;
  /** Asked first for every reference; `undefined` falls back to the rules above (and fails loudly). */
  resolve?: (reference: ResourceReference) => string | undefined;
}

export interface ResourceReference {
  readonly logicalId: string;
  readonly type: string;
  readonly constructPath: string;
  /** `Ref`, or the attribute of `Fn::GetAtt` (`Arn`, `QueueUrl`, …). */
  readonly attribute: string;
}

export interface LoadOptions {
  /**
   * Builds the CDK app (bundling off) and returns the stacks whose state machines to load; references are
   * followed into every stack of the same app. @default the platform's stateless stack, as infra/app.ts builds it
   */
  build?: () => Stack | readonly Stack[] | Promise<Stack | readonly Stack[]>;
  locals?: LocalResourceNames;
}

const GENERIC_IDS = new Set(['Resource', 'Default', 'StateMachine']);
const FUNCTION_BY_CONSTRUCT_ID = new Map(
  (Object.keys(FUNCTIONS) as FunctionName[]).map((name) => [`${pascalCase(name)}Fn`, name]),
);

/**
 * Builds the CDK app in-process (no bundling, no synth) and returns every `AWS::StepFunctions::StateMachine`
 * of the chosen stacks, its definition resolved to local names: a Lambda → its local ARN (the FUNCTIONS key
 * found from the `${pascalCase(name)}Fn` construct id), queues/table/buckets → `locals`, state machines →
 * `stateMachineArn(key)`. Throws on any reference it cannot resolve, so nothing points at real AWS.
 */
export async function loadStateMachineDefinitions(
  options: LoadOptions = {},
): Promise<StateMachineDefinitions> {
  const cdk = await import('aws-cdk-lib');
  const built = await (options.build ?? buildPlatformStateless)();
  const stacks: readonly Stack[] = Array.isArray(built) ? built : [built as Stack];
  const result: Record<string, StateMachineEntry> = {};
  for (const stack of stacks) {
    const lookup = elementLookup(cdk, stack);
    for (const node of stack.node.findAll()) {
      if (!cdk.CfnResource.isCfnResource(node) || node.cfnResourceType !== 'AWS::StepFunctions::StateMachine')
        continue;
      const cfn = node as unknown as { definitionString?: string; definition?: unknown };
      const resolver = new CfnResolver(stack, lookup, options.locals ?? {});
      const raw = stack.resolve(cfn.definitionString ?? cfn.definition);
      const value = resolver.resolve(raw);
      const definition = typeof value === 'string' ? JSON.parse(value) : value;
      const key = machineKey(node);
      if (result[key])
        throw new Error(`Two state machines are named ${key}: give their constructs distinct ids`);
      result[key] = { ...stateMachineEntry(definition), constructPath: node.node.path };
    }
  }
  return result;
}

/** Local ARN of a state machine: what handlers get in their `*_STATE_MACHINE_ARN` variables. */
export function stateMachineArn(key: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${key}`;
}

/** Local ARN of a function: what the resolved definitions and Scheduler targets name. */
export function functionArn(name: FunctionName): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}

/**
 * Records which function each Task state invokes (walking Map and Parallel states) for a definition that
 * already uses local names; use it for hand-written ASL. Throws on duplicate state names (overrides are by name).
 */
export function stateMachineEntry(definition: object): StateMachineEntry {
  const taskFunctions: Record<string, FunctionName> = {};
  const serviceTasks: Record<string, string> = {};
  forEachState(definition, (name, state) => {
    if (state.Type !== 'Task') return;
    const fn = lambdaTaskFunction(name, state);
    if (fn) taskFunctions[name] = fn;
    else serviceTasks[name] = String(state.Resource);
  });
  return { definition, taskFunctions, serviceTasks };
}

function forEachState(definition: Asl, visit: (name: string, state: Asl) => void, seen = new Set<string>()) {
  for (const [name, state] of Object.entries<Asl>(definition?.States ?? {})) {
    if (seen.has(name))
      throw new Error(`State name ${name} is used twice; local overrides need unique names`);
    seen.add(name);
    visit(name, state);
    if (state.Type === 'Map') forEachState(state.ItemProcessor ?? state.Iterator, visit, seen);
    if (state.Type === 'Parallel')
      for (const branch of state.Branches ?? []) forEachState(branch, visit, seen);
  }
}

const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke(\.\w+)?$/;
const LAMBDA_ARN = /^arn:aws[\w-]*:lambda:[^:]*:[^:]*:function:([^:]+)(:[^:]+)?$/;

function lambdaTaskFunction(state: string, task: Asl): FunctionName | undefined {
  const resource = String(task.Resource);
  const invoke = LAMBDA_INVOKE.exec(resource);
  if (invoke) {
    if (invoke[1]) throw new Error(`Task ${state}: ${resource} is not supported locally`);
    if (task.Parameters?.['FunctionName.$'])
      throw new Error(`Task ${state}: a FunctionName chosen at run time is not supported locally`);
    return functionNamed(state, String(task.Parameters?.FunctionName));
  }
  if (LAMBDA_ARN.test(resource)) return functionNamed(state, resource);
  return undefined;
}

function functionNamed(state: string, nameOrArn: string): FunctionName {
  const name = LAMBDA_ARN.exec(nameOrArn)?.[1] ?? nameOrArn;
  if (!(name in FUNCTIONS)) throw new Error(`Task ${state}: ${nameOrArn} is not a FUNCTIONS entry`);
  return name as FunctionName;
}

/** The id of the construct owning the state machine (generic ids like `Resource` skipped). */
function machineKey(node: { node: { scope?: unknown; id: string } }): string {
  let current = node as { node: { scope?: unknown; id: string } };
  while (GENERIC_IDS.has(current.node.id) && current.node.scope) {
    current = current.node.scope as typeof current;
  }
  return current.node.id;
}

async function buildPlatformStateless(): Promise<Stack> {
  const [{ App }, { readPlatformConfig }, { buildPlatform }] = await Promise.all([
    import('aws-cdk-lib'),
    import('../infra/config'),
    import('../infra/platform'),
  ]);
  const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8'));
  const app = new App({
    context: {
      ...cdkJson.context,
      'aws:cdk:bundling-stacks': [],
      '@aws-cdk/core:failSynthOnValidationErrors': false,
    },
  });
  return buildPlatform(app, readPlatformConfig(app)).stateless;
}

interface Element {
  readonly stack: Stack;
  readonly type: string;
  readonly path: string;
  readonly constructId: string;
  readonly cfn: Asl;
}
type ElementLookup = (logicalId: string) => Element | undefined;

/** Logical id → resource: the consuming stack first, then (unambiguously) any other stack of the app. */
function elementLookup(cdk: typeof import('aws-cdk-lib'), consumer: Stack): ElementLookup {
  const byStack = new Map<Stack, Map<string, Element>>();
  for (const node of consumer.node.root.node.findAll()) {
    if (!cdk.CfnResource.isCfnResource(node)) continue;
    const stack = cdk.Stack.of(node);
    const elements = byStack.get(stack) ?? new Map<string, Element>();
    byStack.set(stack, elements);
    const scope = node.node.scope as { node: { id: string } } | undefined;
    elements.set(stack.resolve(node.logicalId) as string, {
      stack,
      type: node.cfnResourceType,
      path: node.node.path,
      constructId: node.node.id === 'Resource' && scope ? scope.node.id : node.node.id,
      cfn: node,
    });
  }
  return (logicalId) => {
    const own = byStack.get(consumer)?.get(logicalId);
    if (own) return own;
    const others = [...byStack.values()].flatMap((m) => m.get(logicalId) ?? []);
    if (others.length > 1) throw new Error(`Logical id ${logicalId} exists in several stacks`);
    return others[0];
  };
}

/** Resolves the CloudFormation intrinsics CDK emits in a definition to local names. */
class CfnResolver {
  constructor(
    private readonly stack: Stack,
    private readonly lookup: ElementLookup,
    private readonly locals: LocalResourceNames,
  ) {}

  resolve(value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(v));
    if (!value || typeof value !== 'object') return value;
    const entries = Object.entries(value);
    const [fn, arg] = entries[0] ?? [];
    if (entries.length === 1 && fn?.startsWith('Fn::')) return this.intrinsic(fn, arg as Asl);
    if (entries.length === 1 && fn === 'Ref') return this.ref(String(arg));
    return Object.fromEntries(entries.map(([k, v]) => [k, this.resolve(v)]));
  }

  private intrinsic(fn: string, arg: Asl): unknown {
    switch (fn) {
      case 'Fn::Join':
        return (this.resolve(arg[1]) as unknown[]).join(arg[0]);
      case 'Fn::GetAtt': {
        const [id, attribute] = typeof arg === 'string' ? arg.split(/\.(.*)/s) : arg;
        return this.resource(String(id), String(attribute));
      }
      case 'Fn::Select':
        return (this.resolve(arg[1]) as unknown[])[Number(this.resolve(arg[0]))];
      case 'Fn::Split':
        return String(this.resolve(arg[1])).split(arg[0]);
      case 'Fn::Sub': {
        const [template, vars] = typeof arg === 'string' ? [arg, {}] : arg;
        return String(template).replace(/\$\{(!?)([^}]+)\}/g, (_m, literal: string, name: string) => {
          if (literal) return `\${${name}}`;
          if (vars && name in vars) return String(this.resolve(vars[name]));
          const [id, attribute] = name.split(/\.(.*)/s);
          return String(attribute ? this.resource(String(id), attribute) : this.ref(String(id)));
        });
      }
      default:
        throw new Error(`Unsupported intrinsic ${fn} in a state machine definition`);
    }
  }

  private ref(name: string): string {
    switch (name) {
      case 'AWS::Partition':
        return 'aws';
      case 'AWS::Region':
        return LOCAL_REGION;
      case 'AWS::AccountId':
        return LOCAL_ACCOUNT_ID;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return this.stack.stackName;
      default:
        return this.resource(name, 'Ref');
    }
  }

  private resource(logicalId: string, attribute: string): string {
    const element = this.lookup(logicalId);
    if (!element) throw new Error(`No resource ${logicalId} in the app`);
    const reference = { logicalId, type: element.type, constructPath: element.path, attribute };
    const local = this.locals.resolve?.(reference) ?? builtIn(element, attribute, this.locals);
    if (local === undefined)
      throw new Error(`No local name for ${attribute} of ${element.type} ${element.path}: pass it in locals`);
    return local;
  }
}

function builtIn(element: Element, attribute: string, locals: LocalResourceNames): string | undefined {
  const arnOr = (ref: string | undefined, arn: string | undefined) => (attribute === 'Ref' ? ref : arn);
  switch (element.type) {
    case 'AWS::Lambda::Function': {
      const name = FUNCTION_BY_CONSTRUCT_ID.get(element.constructId);
      if (!name) return undefined;
      return arnOr(name, attribute === 'Arn' ? functionArn(name) : undefined);
    }
    case 'AWS::StepFunctions::StateMachine': {
      const key = machineKey(element.cfn);
      if (attribute === 'Name') return key;
      return arnOr(stateMachineArn(key), attribute === 'Arn' ? stateMachineArn(key) : undefined);
    }
    case 'AWS::DynamoDB::Table': {
      const name = locals.tableName;
      const arn = name && `arn:aws:dynamodb:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:table/${name}`;
      return arnOr(name, attribute === 'Arn' ? arn : undefined);
    }
    case 'AWS::S3::Bucket': {
      const name = locals.bucketNames?.[element.constructId];
      if (attribute === 'Ref' || attribute === 'BucketName') return name;
      return attribute === 'Arn' && name ? `arn:aws:s3:::${name}` : undefined;
    }
    case 'AWS::SQS::Queue': {
      const queueName = String(element.stack.resolve(element.cfn.queueName) ?? '');
      const match = (Object.keys(QUEUES) as QueueKey[]).flatMap((key) => {
        if (queueName.endsWith(`-${QUEUES[key].name}-dlq`)) return [{ key, dlq: true }];
        if (queueName.endsWith(`-${QUEUES[key].name}`)) return [{ key, dlq: false }];
        return [];
      })[0];
      if (!match) return undefined;
      const url = (match.dlq ? locals.dlqUrls : locals.queueUrls)?.[match.key];
      const arn = (match.dlq ? locals.dlqArns : locals.queueArns)?.[match.key];
      if (attribute === 'Ref' || attribute === 'QueueUrl') return url;
      if (attribute === 'Arn') return arn;
      return attribute === 'QueueName' ? arn?.split(':').at(-1) : undefined;
    }
    default:
      return undefined;
  }
}

// ---------------------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------------------

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
}

export interface LocalStepFunctions {
  /** `http://127.0.0.1:<port>`: `AWS_ENDPOINT_URL_SFN`, or `new SFNClient({ endpoint })`. */
  readonly endpoint: string;
  stop(): Promise<void>;
}

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';
const STATUSES = new Set<string>([
  'RUNNING',
  'SUCCEEDED',
  'FAILED',
  'TIMED_OUT',
  'ABORTED',
  'PENDING_REDRIVE',
]);

interface Execution {
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
}

interface PreparedMachine {
  readonly key: string;
  readonly arn: string;
  readonly entry: StateMachineEntry;
  readonly machine: StateMachine;
  readonly invokeStates: ReadonlySet<string>;
  readonly waitStates: ReadonlySet<string>;
  readonly createdAt: number;
}

/** Largest timeout a Node timer can hold, in seconds (2^31-1 ms), rounded down. */
const MAX_TIMER_SECONDS = 2_000_000;
const MAX_PAYLOAD_BYTES = 256 * 1024;
/** AWS execution names: 1–80 characters, no whitespace, brackets, wildcards, specials or control characters. */
const NAME = /^[^\s<>{}[\]?*"#%\\^|~`$&,;:/\p{Cc}]{1,80}$/u;

/** Starts the local Step Functions endpoint. Validates every definition first (as CreateStateMachine would). */
export async function startStepFunctions(options: StepFunctionsOptions): Promise<LocalStepFunctions> {
  const scale = options.waitTimeScale ?? 1;
  if (!(scale >= 0)) throw new Error('waitTimeScale must be ≥ 0');
  const machines = new Map<string, PreparedMachine>();
  for (const [key, entry] of Object.entries(options.definitions)) {
    machines.set(stateMachineArn(key), prepare(key, entry, scale, options.integrations ?? {}));
  }
  const executions = new Map<string, Execution>();
  const engine = { machines, executions, options, scale };
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

function prepare(
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

interface Engine {
  readonly machines: Map<string, PreparedMachine>;
  readonly executions: Map<string, Execution>;
  readonly options: StepFunctionsOptions;
  readonly scale: number;
}

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
  const execution: Execution = { arn, name, machine, input, startDate: Date.now(), status: 'RUNNING' };
  engine.executions.set(arn, execution);
  run(engine, execution, parsed);
  return { executionArn: arn, startDate: execution.startDate / 1000 };
}

function run(engine: Engine, execution: Execution, input: unknown): void {
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

function finish(execution: Execution, status: Status, result: Partial<Execution>): void {
  if (execution.status !== 'RUNNING') return;
  Object.assign(execution, result, { status, stopDate: Date.now() });
  const abort = execution.abort;
  execution.abort = undefined;
  if (status === 'ABORTED') abort?.();
}

async function lambdaTask(
  invoke: LambdaInvoker,
  fn: FunctionName,
  params: unknown,
  wrapped: boolean,
  signal: AbortSignal,
): Promise<unknown> {
  if (signal.aborted) throw terminal('States.Aborted', 'The execution was stopped');
  // lambda:invoke gets { FunctionName, Payload } and returns the Invoke response; a function ARN, the payload.
  const payload = wrapped ? ((params as { Payload?: unknown }).Payload ?? {}) : params;
  let result: unknown;
  try {
    result = await invoke(fn, JSON.parse(JSON.stringify(payload)));
  } catch (error) {
    throw taskError(error);
  }
  const json = JSON.stringify(result ?? null);
  if (Buffer.byteLength(json) > MAX_PAYLOAD_BYTES)
    throw terminal('States.DataLimitExceeded', `The result of ${fn} exceeds the 262144-byte quota`);
  const value = JSON.parse(json);
  if (!wrapped) return value;
  const requestId = randomUUID();
  return {
    ExecutedVersion: '$LATEST',
    Payload: value,
    SdkHttpMetadata: { HttpStatusCode: 200 },
    SdkResponseMetadata: { RequestId: requestId },
    StatusCode: 200,
  };
}

/**
 * As Lambda reports a function error to Step Functions: the error name is the `errorType` (Retry/Catch
 * match on it), the cause is the JSON `{ errorType, errorMessage, trace }`.
 */
function taskError(error: unknown): never {
  const isError = error instanceof Error;
  const errorType = isError ? error.name : typeof error;
  const cause = JSON.stringify({
    errorType,
    errorMessage: isError ? error.message : String(error),
    trace: isError ? (error.stack?.split('\n') ?? []) : [],
  });
  const failure = new Error(cause);
  failure.name = errorType;
  throw failure;
}

/** An error Retry and Catch cannot handle (the interpreter reads these two flags). */
function terminal(name: string, message: string): Error {
  const error = new Error(message);
  error.name = name;
  return Object.assign(error, { isRetryable: false, isCatchable: false });
}

async function waitTask(params: unknown, scale: number, signal: AbortSignal): Promise<unknown> {
  const { input, seconds, timestamp } = params as { input: unknown; seconds?: unknown; timestamp?: unknown };
  let ms: number;
  if (seconds !== undefined) {
    if (!Number.isInteger(seconds) || (seconds as number) < 0)
      throw terminal('States.Runtime', `Wait seconds must be a non-negative integer, got ${seconds}`);
    ms = (seconds as number) * 1000;
  } else {
    const at = typeof timestamp === 'string' ? Date.parse(timestamp) : Number.NaN;
    if (Number.isNaN(at)) throw terminal('States.Runtime', `Wait timestamp is not a timestamp: ${timestamp}`);
    ms = Math.max(0, at - Date.now());
  }
  await sleep(ms * scale, signal);
  return input;
}

function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) return reject(terminal('States.Aborted', 'The execution was stopped'));
    let timer: NodeJS.Timeout;
    const deadline = Date.now() + ms;
    const arm = () => {
      const left = deadline - Date.now();
      if (left <= 0) return done();
      timer = setTimeout(arm, Math.min(left, MAX_TIMER_SECONDS * 1000));
    };
    const onAbort = () => {
      clearTimeout(timer);
      reject(terminal('States.Aborted', 'The execution was stopped'));
    };
    function done() {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }
    signal.addEventListener('abort', onAbort, { once: true });
    arm();
  });
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

function roleArn(key: string): string {
  return `arn:aws:iam::${LOCAL_ACCOUNT_ID}:role/${key}-local`;
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

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

async function serve(req: IncomingMessage, res: ServerResponse, engine: Engine): Promise<void> {
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

function reply(res: ServerResponse, status: number, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/x-amz-json-1.0',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(json);
}

// ---------------------------------------------------------------------------------------------------------
// Running local handlers as Lambda would
// ---------------------------------------------------------------------------------------------------------

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
