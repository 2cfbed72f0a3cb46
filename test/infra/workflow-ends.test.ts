import { describe, expect, it } from 'vitest';
import { ABNORMAL_END_STATUSES, WORKFLOWS } from '#topology/workflows';
import {
  type CfnValue,
  crossStack,
  functionsByName,
  logicalIdOf,
  resourcesOf,
  synthPlatform,
} from './synth-platform';

// Arrange (once: synthesis takes a few seconds)
const { stateful, stateless } = synthPlatform();
const [recoverId] = functionsByName(stateless).get('recover-workflow-run') ?? [];
const machines = new Map(
  resourcesOf(stateless, 'AWS::StepFunctions::StateMachine').map(([id, m]) => [
    id,
    m.Properties.StateMachineName,
  ]),
);
const rules = resourcesOf(stateless, 'AWS::Events::Rule').filter(([, rule]) =>
  rule.Properties.EventPattern?.source?.includes('aws.states'),
);
const machineOf = (rule: (typeof rules)[number][1]) =>
  machines.get(logicalIdOf(rule.Properties.EventPattern.detail.stateMachineArn[0]) ?? '');

describe('workflow runs that end without their Catch (→ recover-workflow-run)', () => {
  it('one rule per workflow with onAbnormalEnd (not the purge), on its FAILED, TIMED_OUT and ABORTED status changes only', () => {
    // Assert
    expect(rules.map(([, rule]) => machineOf(rule)).sort()).toEqual([
      expect.stringMatching(/-analyse-batch$/),
      expect.stringMatching(/-import-blocklist$/),
      expect.stringMatching(/-import-contacts$/),
      expect.stringMatching(/-send-batch$/),
    ]);
    for (const [, rule] of rules) {
      expect(rule.Properties.EventPattern).toMatchObject({
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: { status: [...ABNORMAL_END_STATUSES] },
      });
      expect(rule.Properties.State ?? 'ENABLED').toBe('ENABLED');
    }
  });

  it('targets recover-workflow-run with retries and a dead-letter queue, which raises an alarm to the alarm topic', () => {
    // Arrange
    const queues = new Map(resourcesOf(stateless, 'AWS::SQS::Queue'));
    const alarms = resourcesOf(stateless, 'AWS::CloudWatch::Alarm');
    const [topicId] =
      resourcesOf(stateful, 'AWS::SNS::Topic').find(([id]) => id.startsWith('AlarmTopic')) ?? [];

    // Assert
    for (const [, rule] of rules) {
      const targets = rule.Properties.Targets as {
        Arn: unknown;
        RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
        DeadLetterConfig: { Arn: unknown };
        InputTransformer: { InputPathsMap: Record<string, string>; InputTemplate: string };
      }[];
      expect(targets.map((t) => logicalIdOf(t.Arn))).toEqual([recoverId]);
      // The function is told which workflow (state machine names differ between AWS and the local stack).
      const key = Object.entries(WORKFLOWS).find(([, spec]) =>
        machineOf(rule)?.endsWith(`-${spec.name}`),
      )?.[0];
      const { InputPathsMap, InputTemplate } = targets[0]?.InputTransformer ?? {};
      expect(InputPathsMap).toEqual({ detail: '$.detail' });
      expect(InputTemplate).toBe(`{"workflow":"${key}","detail":<detail>}`);
      expect(targets[0]?.RetryPolicy).toEqual({ MaximumRetryAttempts: 10, MaximumEventAgeInSeconds: 86_400 });
      const dlqId = logicalIdOf(targets[0]?.DeadLetterConfig.Arn) ?? '';
      expect(queues.get(dlqId)?.Properties).toMatchObject({ SqsManagedSseEnabled: true });
      const alarm = alarms.find(([, a]) =>
        JSON.stringify(a.Properties.Dimensions ?? []).includes(dlqId),
      )?.[1];
      expect(
        alarm?.Properties.AlarmActions?.map((a: unknown) => logicalIdOf(crossStack(stateful, a))),
      ).toEqual([topicId]);
    }
  });

  it('EventBridge may invoke recover-workflow-run from these rules only, and send to the DLQ from them only', () => {
    // Arrange
    const ruleIds = rules.map(([id]) => id).sort();
    const permissions = resourcesOf(stateless, 'AWS::Lambda::Permission').filter(
      ([, p]) => logicalIdOf(p.Properties.FunctionName) === recoverId,
    );
    const dlqIds = rules.map(([, rule]) => logicalIdOf(rule.Properties.Targets[0]?.DeadLetterConfig.Arn));
    const queuePolicies = resourcesOf(stateless, 'AWS::SQS::QueuePolicy').filter(([, policy]) =>
      (policy.Properties.Queues as CfnValue[]).some((q) => dlqIds.includes(q.Ref)),
    );

    // Assert
    expect(permissions.map(([, p]) => logicalIdOf(p.Properties.SourceArn)).sort()).toEqual(ruleIds);
    for (const [, p] of permissions) expect(p.Properties.Principal).toBe('events.amazonaws.com');
    const sends = queuePolicies
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, CfnValue>[])
      .filter((s) => s.Principal?.Service === 'events.amazonaws.com');
    expect(sends.map((s) => logicalIdOf(s.Condition.ArnEquals['aws:SourceArn'])).sort()).toEqual(ruleIds);
    for (const s of sends) expect(s.Action).toBe('sqs:SendMessage');
  });

  it('a run the function fails to recover (after Lambda retries it twice) lands in the same DLQ', () => {
    // Arrange
    const [, rule] = rules[0] ?? [];
    const dlqId = logicalIdOf(rule?.Properties.Targets[0]?.DeadLetterConfig?.Arn);
    const configs = resourcesOf(stateless, 'AWS::Lambda::EventInvokeConfig').filter(
      ([, c]) => logicalIdOf(c.Properties.FunctionName) === recoverId,
    );

    // Assert: one configuration for the function however many rules target it; Lambda keeps events ≤ 6 h
    expect(configs).toHaveLength(1);
    expect(configs[0]?.[1].Properties).toMatchObject({
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 21_600,
    });
    expect(logicalIdOf(configs[0]?.[1].Properties.DestinationConfig.OnFailure.Destination)).toBe(dlqId);
  });
});
