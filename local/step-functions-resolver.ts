import type { Stack } from 'aws-cdk-lib';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import { QUEUES, type QueueKey } from '#topology/queues';
import { pascalCase } from '../infra/config';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './sqs-poller';
import type { Asl, LocalResourceNames } from './step-functions-definitions';

/**
 * Local names: the ARNs the local stack gives, and the CloudFormation references of a definition
 * resolved to them (see step-functions.ts).
 */

const GENERIC_IDS = new Set(['Resource', 'Default', 'StateMachine']);
const FUNCTION_BY_CONSTRUCT_ID = new Map(
  (Object.keys(FUNCTIONS) as FunctionName[]).map((name) => [`${pascalCase(name)}Fn`, name]),
);

/** Local ARN of a state machine: what handlers get in their `*_STATE_MACHINE_ARN` variables. */
export function stateMachineArn(key: string): string {
  return `arn:aws:states:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:stateMachine:${key}`;
}

/** Local ARN of a function: what the resolved definitions and Scheduler targets name. */
export function functionArn(name: FunctionName): string {
  return `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:function:${name}`;
}

/** The id of the construct owning the state machine (generic ids like `Resource` skipped). */
export function machineKey(node: { node: { scope?: unknown; id: string } }): string {
  let current = node as { node: { scope?: unknown; id: string } };
  while (GENERIC_IDS.has(current.node.id) && current.node.scope) {
    current = current.node.scope as typeof current;
  }
  return current.node.id;
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
export function elementLookup(cdk: typeof import('aws-cdk-lib'), consumer: Stack): ElementLookup {
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
export class CfnResolver {
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
