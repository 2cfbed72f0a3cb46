import { ArnFormat, type CfnResource, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import {
  DefinitionBody,
  LogLevel,
  QueryLanguage,
  StateMachine,
  StateMachineType,
} from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '#topology/functions';
import { WORKFLOWS, type WorkflowKey } from '#topology/workflows';
import { pascalCase } from '../config';
import {
  DEFINITIONS,
  type DefinitionBuilder,
  lambdaTask,
  type TaskFactory,
} from './batch-workflow-definitions';

export interface BatchWorkflowsProps {
  /** The app's functions by FUNCTIONS name; each workflow's Tasks invoke its `tasks` among them. */
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /** State machine names are `<prefix>-<spec.name>`. */
  readonly namePrefix: string;
  /** @default RemovalPolicy.DESTROY */
  readonly logRemovalPolicy?: RemovalPolicy;
  /** @default RetentionDays.ONE_MONTH */
  readonly logRetention?: RetentionDays;
}

/** A built workflow: its state machine and the ARN pattern of its executions (for grants). */
export interface BatchWorkflow {
  readonly stateMachine: StateMachine;
  readonly executionArns: string;
}

/**
 * One Standard state machine per WORKFLOWS entry, defined as docs/workflows.md specifies (JSONPath only,
 * inline Maps, no variables: the local interpreter runs this very definition). Each may invoke exactly
 * the functions its spec lists as `tasks` (CDK grants `lambda:InvokeFunction` per Task); runs are traced
 * and their errors logged without execution data, which holds phone numbers and texts.
 */
export class BatchWorkflows extends Construct {
  readonly workflows: Record<WorkflowKey, BatchWorkflow>;

  constructor(scope: Construct, id: string, props: BatchWorkflowsProps) {
    super(scope, id);
    this.workflows = {
      analyseBatch: this.build('analyseBatch', DEFINITIONS.analyseBatch, props),
      sendBatch: this.build('sendBatch', DEFINITIONS.sendBatch, props),
      importContacts: this.build('importContacts', DEFINITIONS.importContacts, props),
      purgeContactGroup: this.build('purgeContactGroup', DEFINITIONS.purgeContactGroup, props),
      importBlocklist: this.build('importBlocklist', DEFINITIONS.importBlocklist, props),
    };
  }

  private build<K extends WorkflowKey>(
    key: K,
    define: DefinitionBuilder<K>,
    props: BatchWorkflowsProps,
  ): BatchWorkflow {
    const spec = WORKFLOWS[key];
    const id = `${pascalCase(key)}Workflow`;
    const name = `${props.namePrefix}-${spec.name}`;
    // State names are construct ids: each workflow's states live in a scope of their own.
    const states = new Construct(this, `${pascalCase(key)}States`);
    const used = new Set<FunctionName>();
    const task: TaskFactory<K> = (stateId, fn, options) => {
      if (!(spec.tasks as readonly FunctionName[]).includes(fn)) {
        throw new Error(`${spec.name}: ${fn} is not one of its tasks in WORKFLOWS`);
      }
      used.add(fn);
      return lambdaTask(states, stateId, props.functions[fn], options);
    };
    const definition = define(states, task);
    const unused = spec.tasks.filter((fn) => !used.has(fn));
    if (unused.length > 0) throw new Error(`${spec.name}: no Task invokes ${unused.join(', ')}`);

    const logs = new LogGroup(this, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    const stateMachine = new StateMachine(this, id, {
      stateMachineName: name,
      stateMachineType: StateMachineType.STANDARD,
      comment: `${spec.name} (docs/workflows.md)`,
      definitionBody: DefinitionBody.fromChainable(definition),
      // The default, written out: the local interpreter runs neither JSONata nor variables.
      queryLanguage: QueryLanguage.JSON_PATH,
      timeout: Duration.hours(spec.timeoutHours),
      tracingEnabled: true,
      logs: { destination: logs, level: LogLevel.ERROR, includeExecutionData: false },
    });
    this.acknowledge(
      stateMachine,
      spec.tasks.map((fn) => [fn, props.functions[fn]] as const),
    );

    const executionArns = Stack.of(this).formatArn({
      service: 'states',
      resource: 'execution',
      resourceName: `${name}:*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    return { stateMachine, executionArns };
  }

  /** The cdk-nag findings a state machine keeps, each explained. */
  private acknowledge(
    stateMachine: StateMachine,
    tasks: readonly (readonly [FunctionName, IFunction])[],
  ): void {
    Validations.of(stateMachine).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SF1',
      reason:
        'Logs ERROR events only: the execution history (kept 90 days) already records every state transition, while ALL would log one event per transition of week-long send runs; execution data is never logged (phone numbers and texts).',
    });
    Validations.of(stateMachine.role).acknowledge({
      id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
      reason:
        'Set by CDK for logging and tracing: the CloudWatch Logs delivery actions (logs:CreateLogDelivery and co.) and xray:PutTraceSegments/PutTelemetryRecords/GetSampling* do not support resource-level permissions.',
    });
    for (const [name, fn] of tasks) {
      const logicalId = Stack.of(this).resolve((fn.node.defaultChild as CfnResource).logicalId);
      Validations.of(stateMachine.role).acknowledge({
        id: `AwsSolutions::AwsSolutions-IAM5[Resource::<${logicalId}.Arn>:*]`,
        reason: `CDK's LambdaInvoke grants lambda:InvokeFunction on ${name} and on its versions and aliases (<arn>:*), and on no other function.`,
      });
    }
  }
}
