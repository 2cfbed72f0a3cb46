import { type CfnResource, Stack } from 'aws-cdk-lib';
import type { CfnStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { describe, expect, it } from 'vitest';
import { SEND_WINDOW_MS, SETTLE_GRACE_MS } from '#domain/batch/send-window';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '#topology/functions';
import { BUCKETS, WORKFLOWS, type WorkflowKey } from '#topology/workflows';
import { pascalCase, platformNames } from '../../infra/config';
import { TASK_RETRY_ERRORS } from '../../infra/constructs/batch-workflow-definitions';
import { loadStateMachineDefinitions } from '../../local/step-functions';
import {
  actionsOf,
  type CfnValue,
  flatten,
  functionsByName,
  logicalIdOf,
  resourceList,
  resourcesOf,
  roleStatements,
  statementsOf,
  synthPlatform,
} from './synth-platform';

// Arrange (once)
const { platform, stateful, stateless } = synthPlatform();
const stack = platform.stateless;
const names = platformNames('dev');
const functions = functionsByName(stateless);
const nameByLogicalId = new Map([...functions].map(([name, [id]]) => [id, name]));
const specs = Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][];
const workflowKeys = Object.keys(WORKFLOWS) as WorkflowKey[];
const resources = stateless.toJSON().Resources as Record<string, CfnValue>;

const machineOf = (key: WorkflowKey) => {
  const { stateMachine } = stack.workflows.workflows[key];
  const cfn = stateMachine.node.defaultChild as CfnStateMachine;
  const id = stack.resolve((cfn as unknown as CfnResource).logicalId) as string;
  return { construct: stateMachine, id, resource: resources[id] };
};

/** The definition as the service (and the local interpreter) reads it; functions appear as `<LogicalId.Arn>`. */
const definitionOf = (key: WorkflowKey): CfnValue => {
  const cfn = machineOf(key).construct.node.defaultChild as CfnStateMachine;
  return JSON.parse(flatten(Stack.of(cfn).resolve(cfn.definitionString)));
};

interface StateEntry {
  readonly name: string;
  readonly state: CfnValue;
  /** The Map state whose iterations run this state. */
  readonly map?: string;
}
const statesOf = (definition: CfnValue, map?: string): StateEntry[] =>
  Object.entries<CfnValue>(definition.States).flatMap(([name, state]) => [
    { name, state, ...(map ? { map } : {}) },
    ...(state.Type === 'Map' ? statesOf(state.ItemProcessor ?? state.Iterator, name) : []),
  ]);
const stateNamed = (key: WorkflowKey, name: string) =>
  statesOf(definitionOf(key)).find((s) => s.name === name)?.state;
const taskFunction = (state: CfnValue): FunctionName | undefined => {
  const id = /^<(.+)\.Arn>$/.exec(String(state.Resource))?.[1];
  return id ? nameByLogicalId.get(id) : undefined;
};
/** Every key of every object in the definition, at any depth. */
const keysOf = (value: CfnValue): string[] =>
  value && typeof value === 'object'
    ? Object.entries(value).flatMap(([k, v]) => [...(Array.isArray(value) ? [] : [k]), ...keysOf(v)])
    : [];

/** Per workflow: its Fail task and the id its input carries (purge has neither Map nor Fail: it loops). */
const SHAPE: Record<WorkflowKey, { fail?: string; id: string; maps: boolean }> = {
  analyseBatch: { fail: 'fail-batch', id: 'batchId', maps: true },
  sendBatch: { fail: 'fail-batch', id: 'batchId', maps: true },
  importContacts: { fail: 'finish-group-import', id: 'groupId', maps: true },
  purgeContactGroup: { id: 'groupId', maps: false },
  importBlocklist: { fail: 'finish-blocklist-import', id: 'importId', maps: true },
};

describe.each(workflowKeys)('workflow %s', (key) => {
  const spec = WORKFLOWS[key];
  const shape = SHAPE[key];
  const definition = definitionOf(key);
  const states = statesOf(definition);
  const tasks = states.filter((s) => s.state.Type === 'Task');

  it('is a Standard state machine named after the spec, traced, logging errors without execution data', () => {
    // Act
    const { construct, resource } = machineOf(key);
    // Assert
    expect(construct.node.id).toBe(`${pascalCase(key)}Workflow`);
    expect(resource.Properties).toMatchObject({
      StateMachineName: `${names.prefix}-${spec.name}`,
      StateMachineType: 'STANDARD',
      TracingConfiguration: { Enabled: true },
      LoggingConfiguration: { Level: 'ERROR', IncludeExecutionData: false },
    });
    const logGroupId = logicalIdOf(
      resource.Properties.LoggingConfiguration.Destinations[0].CloudWatchLogsLogGroup.LogGroupArn,
    );
    expect(resources[logGroupId as string].Type).toBe('AWS::Logs::LogGroup');
    expect(definition.TimeoutSeconds).toBe(spec.timeoutHours * 3600);
  });

  it('is JSONPath only: no JSONata, no variables (the local interpreter runs this very definition)', () => {
    // Act
    const keys = keysOf(definition);
    // Assert
    expect(definition.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    for (const { state } of states) expect(state.QueryLanguage ?? 'JSONPath').toBe('JSONPath');
    expect(keys.filter((k) => ['Assign', 'Arguments', 'Output', 'Items', 'Condition'].includes(k))).toEqual(
      [],
    );
    expect(JSON.stringify(definition)).not.toContain('{%');
  });

  it('invokes exactly its spec tasks, each a FUNCTIONS entry through its own AppFunction', () => {
    // Act
    const invoked = tasks.map((t) => taskFunction(t.state));
    // Assert
    expect(invoked).not.toContain(undefined);
    expect(new Set(invoked)).toEqual(new Set(spec.tasks));
  });

  it('retries every Task on Lambda service errors and timeouts only (3×, backoff 2)', () => {
    // Assert
    for (const { state } of tasks) {
      expect(state.Retry).toEqual([
        { ErrorEquals: [...TASK_RETRY_ERRORS], IntervalSeconds: 2, MaxAttempts: 3, BackoffRate: 2 },
      ]);
    }
  });

  it(
    shape.fail
      ? 'catches every other error of every Task (or of its Map) and goes to its Fail task'
      : 'has no Fail task and no Catch: an error ends the execution as failed',
    () => {
      if (!shape.fail) {
        expect(JSON.stringify(definition)).not.toContain('"Catch"');
        return;
      }
      // Arrange
      const catchAll = [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Fail' }];
      // Assert
      for (const { name, state, map } of tasks) {
        if (name === 'Fail') continue;
        const catcher = map ? states.find((s) => s.name === map)?.state : state;
        expect({ name, Catch: catcher?.Catch }).toEqual({ name, Catch: catchAll });
      }
      const fail = states.find((s) => s.name === 'Fail')?.state;
      expect(taskFunction(fail)).toBe(shape.fail);
      expect(fail.Parameters).toEqual({
        'accountId.$': '$.accountId',
        [`${shape.id}.$`]: `$.${shape.id}`,
        'error.$': '$.error',
      });
      expect(fail.Catch).toBeUndefined();
      expect(definition.States[fail.Next]).toMatchObject({ Type: 'Fail' });
    },
  );

  it(
    shape.maps ? 'runs its Maps inline over chunk keys: no ItemReader, no distributed mode' : 'has no Map',
    () => {
      // Act
      const maps = states.filter((s) => s.state.Type === 'Map');
      // Assert
      if (!shape.maps) {
        expect(maps).toEqual([]);
        return;
      }
      expect(maps.length).toBeGreaterThan(0);
      for (const { state } of maps) {
        expect(state.ItemReader).toBeUndefined();
        expect(state.ResultWriter).toBeUndefined();
        expect(state.ItemBatcher).toBeUndefined();
        expect(state.ItemProcessor.ProcessorConfig?.Mode ?? 'INLINE').toBe('INLINE');
        expect(state.ItemSelector).toEqual({
          'accountId.$': '$.accountId',
          [`${shape.id}.$`]: `$.${shape.id}`,
          'chunk.$': '$$.Map.Item.Value',
        });
      }
    },
  );

  it("may invoke only its own tasks' functions", () => {
    // Act
    const roleId = logicalIdOf(machineOf(key).resource.Properties.RoleArn) as string;
    const statements = roleStatements(stateless, roleId);
    const invokable = statements
      .filter((s) => actionsOf(s).includes('lambda:InvokeFunction'))
      .flatMap(resourceList)
      .map((r) => nameByLogicalId.get(/^<(.+)\.Arn>(:\*)?$/.exec(flatten(r))?.[1] ?? ''));
    // Assert
    expect(new Set(invokable)).toEqual(new Set(spec.tasks));
    expect(statements.flatMap(actionsOf).filter((a) => !/^(lambda|logs|xray):/.test(a))).toEqual([]);
    expect(new Set(statements.flatMap(actionsOf).filter((a) => a.startsWith('lambda:')))).toEqual(
      new Set(['lambda:InvokeFunction']),
    );
  });
});

describe('analyse-batch', () => {
  it('ParseFile → AnalyseChunks (4 at a time over $.parse.chunks, results dropped) → Summarise', () => {
    // Act
    const definition = definitionOf('analyseBatch');
    const map = stateNamed('analyseBatch', 'AnalyseChunks');
    // Assert
    expect(definition.StartAt).toBe('ParseFile');
    expect(definition.States.ParseFile).toMatchObject({ ResultPath: '$.parse', Next: 'AnalyseChunks' });
    expect(map).toMatchObject({
      ItemsPath: '$.parse.chunks',
      MaxConcurrency: 4,
      // Per-chunk counts live in S3: a 1M-row batch's 1 000 chunks add nothing to the state.
      ResultPath: null,
      Next: 'Summarise',
    });
    expect(definition.States.Summarise.Parameters).toEqual({
      'accountId.$': '$.accountId',
      'batchId.$': '$.batchId',
      'parse.$': '$.parse',
    });
    expect(definition.States.Summarise.Next).toBe('IsAutoStart');
  });

  it('IsAutoStart: a batch that asked for it is started by AutoStart; the others end at ready', () => {
    // Act
    const definition = definitionOf('analyseBatch');
    // Assert
    expect(definition.States.IsAutoStart).toMatchObject({
      Type: 'Choice',
      Choices: [{ Variable: '$.summary.autoStart', BooleanEquals: true, Next: 'AutoStart' }],
      Default: 'Analysed',
    });
    expect(definition.States.Analysed.Type).toBe('Succeed');
    expect(taskFunction(definition.States.AutoStart)).toBe('auto-start-batch');
    expect(definition.States.AutoStart).toMatchObject({
      Parameters: { 'accountId.$': '$.accountId', 'batchId.$': '$.batchId' },
      Catch: [{ ErrorEquals: ['States.ALL'], Next: 'Fail' }],
      End: true,
    });
  });
});

describe('send-batch', () => {
  const definition = definitionOf('sendBatch');

  it('Plan → SendChunks (one at a time, in order, results dropped): Enqueue → Pace, or WhilePaused → Enqueue', () => {
    // Act
    const map = stateNamed('sendBatch', 'SendChunks');
    // Assert
    expect(definition.StartAt).toBe('Plan');
    expect(definition.States.Plan).toMatchObject({ ResultPath: '$.plan', Next: 'SendChunks' });
    expect(map).toMatchObject({
      ItemsPath: '$.plan.chunks',
      MaxConcurrency: 1,
      ResultPath: null,
      Next: 'CheckProgress',
    });
    expect(map.ItemProcessor.StartAt).toBe('Enqueue');
    expect(map.ItemProcessor.States.Enqueue).toMatchObject({ ResultPath: '$.step', Next: 'ChunkSent' });
    expect(map.ItemProcessor.States.ChunkSent).toMatchObject({
      Choices: [{ Variable: '$.step.done', BooleanEquals: false, Next: 'WhilePaused' }],
      Default: 'Pace',
    });
    expect(map.ItemProcessor.States.WhilePaused.Next).toBe('Enqueue');
  });

  it('paces and polls with Wait states reading their seconds from the state (SecondsPath)', () => {
    // Act
    const waits = statesOf(definition).filter((s) => s.state.Type === 'Wait');
    // Assert
    expect(Object.fromEntries(waits.map((w) => [w.name, w.state.SecondsPath]))).toEqual({
      Pace: '$.step.waitSeconds',
      WhilePaused: '$.step.waitSeconds',
      WaitForReports: '$.progress.waitSeconds',
    });
    for (const { state } of waits) {
      expect(state.Seconds ?? state.Timestamp ?? state.TimestampPath).toBeUndefined();
    }
  });

  it('closes the send window (then its grace hour) at least half a day before the execution times out', () => {
    // A timed-out execution runs no Catch: the window makes Enqueue/CheckProgress stop and settle the batch
    // first (the loop run through: send-batch-pause-expiry.test.ts).
    expect(definition.TimeoutSeconds * 1000 - SEND_WINDOW_MS - SETTLE_GRACE_MS).toBeGreaterThanOrEqual(
      12 * 3_600_000,
    );
  });

  it('CheckProgress → Settle when done, else WaitForReports → CheckProgress', () => {
    // Act
    const check = definition.States.CheckProgress;
    const choice = definition.States[check.Next];
    // Assert
    expect(check.ResultPath).toBe('$.progress');
    expect(choice).toEqual({
      Type: 'Choice',
      Choices: [{ Variable: '$.progress.done', BooleanEquals: true, Next: 'Settle' }],
      Default: 'WaitForReports',
    });
    expect(definition.States.WaitForReports.Next).toBe('CheckProgress');
    expect(definition.States.Settle.End).toBe(true);
  });
});

describe('starting workflows (least privilege)', () => {
  const machineIds = Object.fromEntries(workflowKeys.map((k) => [machineOf(k).id, k]));

  it.each(specs)('%s may start (and stop) exactly the workflows its spec lists', (name, spec) => {
    // Act
    const [, fn] = functions.get(name) ?? [];
    const statements = statementsOf(stateless, fn as NonNullable<typeof fn>);
    const startable = statements
      .filter((s) => actionsOf(s).includes('states:StartExecution'))
      .flatMap(resourceList)
      .map((r) => machineIds[logicalIdOf(r) as string]);
    const stoppable = statements
      .filter((s) => actionsOf(s).includes('states:StopExecution'))
      .flatMap(resourceList)
      .map(flatten);
    const expected = spec.startsWorkflows ?? [];
    // Assert
    expect(startable.sort()).toEqual([...expected].sort());
    expect(stoppable.sort()).toEqual(
      expected
        .map(
          (k) =>
            `arn:<AWS::Partition>:states:<AWS::Region>:<AWS::AccountId>:execution:${names.prefix}-${WORKFLOWS[k].name}:*`,
        )
        .sort(),
    );
    expect(
      statements
        .flatMap(actionsOf)
        .filter((a) => a.startsWith('states:') && !/^states:(Start|Stop)Execution$/.test(a)),
    ).toEqual([]);
    for (const k of workflowKeys) {
      const env = fn?.Properties.Environment.Variables[WORKFLOWS[k].arnEnv];
      if ((expected as readonly WorkflowKey[]).includes(k)) expect(env).toEqual({ Ref: machineOf(k).id });
      else expect(env).toBeUndefined();
    }
  });
});

describe('schedules', () => {
  const [roleId, role] =
    resourcesOf(stateless, 'AWS::IAM::Role').find(([id]) => id.startsWith('BatchSchedulerRole')) ?? [];
  const groupArn = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule-group/${names.scheduleGroup}`;

  it('the schedule group is in the stateful stack, named and retained', () => {
    // Act
    const groups = resourcesOf(stateful, 'AWS::Scheduler::ScheduleGroup');
    // Assert
    expect(groups).toHaveLength(1);
    expect(groups[0]?.[1]).toMatchObject({
      Properties: { Name: names.scheduleGroup },
      DeletionPolicy: 'Retain',
      UpdateReplacePolicy: 'Retain',
    });
  });

  it('BatchSchedulerRole can be assumed only by Scheduler, for this account and schedule group', () => {
    // Assert
    const statements = role?.Properties.AssumeRolePolicyDocument.Statement;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatchObject({
      Action: 'sts:AssumeRole',
      Effect: 'Allow',
      Principal: { Service: 'scheduler.amazonaws.com' },
    });
    expect(statements[0].Condition.StringEquals['aws:SourceAccount']).toEqual({ Ref: 'AWS::AccountId' });
    expect(flatten(statements[0].Condition.StringEquals['aws:SourceArn'])).toBe(groupArn);
  });

  it('BatchSchedulerRole may only start send-batch and invoke the recurring campaign target', () => {
    // Act
    const statements = roleStatements(stateless, roleId as string);
    const [target] = functions.get('run-recurring-campaign') ?? [];
    // Assert
    expect(statements).toEqual([
      { Effect: 'Allow', Action: 'states:StartExecution', Resource: { Ref: machineOf('sendBatch').id } },
      { Effect: 'Allow', Action: 'lambda:InvokeFunction', Resource: { 'Fn::GetAtt': [target, 'Arn'] } },
    ]);
  });

  it.each(specs)(
    '%s manages schedules (and passes the role to Scheduler) only if its spec says so',
    (name, spec) => {
      // Act
      const [, fn] = functions.get(name) ?? [];
      const statements = statementsOf(stateless, fn as NonNullable<typeof fn>);
      const scheduler = statements.filter((s) => actionsOf(s).some((a) => /^(scheduler|iam):/.test(a)));
      const variables = fn?.Properties.Environment.Variables;
      // Assert
      if (!spec.schedules) {
        expect(scheduler).toEqual([]);
        expect(variables.SCHEDULER_ROLE_ARN ?? variables.SCHEDULER_GROUP).toBeUndefined();
        return;
      }
      expect(variables).toMatchObject({
        SCHEDULER_GROUP: names.scheduleGroup,
        SCHEDULER_ROLE_ARN: { 'Fn::GetAtt': [roleId, 'Arn'] },
      });
      const groupSchedules = `arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${names.scheduleGroup}/*`;
      expect(scheduler.map((s) => ({ ...s, Resource: flatten(s.Resource) }))).toEqual([
        {
          Effect: 'Allow',
          Action: [
            'scheduler:CreateSchedule',
            'scheduler:DeleteSchedule',
            'scheduler:GetSchedule',
            // Only the function managing recurring campaigns replaces schedules (pause, resume, new cron).
            ...(spec.scheduleTarget ? ['scheduler:UpdateSchedule'] : []),
          ],
          Resource: groupSchedules,
        },
        {
          Effect: 'Allow',
          Action: 'iam:PassRole',
          Resource: `<${roleId}.Arn>`,
          Condition: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
        },
      ]);
      const [target] = spec.scheduleTarget ? (functions.get(spec.scheduleTarget as FunctionName) ?? []) : [];
      expect(variables.SCHEDULE_TARGET_ARN).toEqual(target ? { 'Fn::GetAtt': [target, 'Arn'] } : undefined);
    },
  );
});

describe('the local Step Functions interpreter', () => {
  it('loads this very definition of each workflow, every Task on a local function', async () => {
    // Act
    const definitions = await loadStateMachineDefinitions({
      build: () => stack,
      locals: { tableName: 'sms-platform', bucketNames: { UploadBucket: BUCKETS.uploads.localName } },
    });
    // Assert
    expect(Object.keys(definitions).sort()).toEqual(
      workflowKeys.map((k) => `${pascalCase(k)}Workflow`).sort(),
    );
    for (const key of workflowKeys) {
      const entry = definitions[`${pascalCase(key)}Workflow`];
      expect(new Set(Object.values(entry?.taskFunctions ?? {}))).toEqual(new Set(WORKFLOWS[key].tasks));
      expect(entry?.serviceTasks).toEqual({});
    }
  });
});
