import { readFileSync } from 'node:fs';
import type { Stack } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import type { QueueKey } from '#topology/queues';
import { CfnResolver, elementLookup, machineKey } from './step-functions-resolver';

/** The local Step Functions' state machines: from the CDK app to ASL with local names. */

// biome-ignore lint/suspicious/noExplicitAny: Amazon States Language JSON
export type Asl = any;

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

export const LAMBDA_INVOKE = /^arn:aws[\w-]*:states:::lambda:invoke(\.\w+)?$/;
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
