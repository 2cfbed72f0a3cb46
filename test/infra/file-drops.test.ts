import { describe, expect, it } from 'vitest';
import { objectKeys } from '#topology/workflows';
import { BUCKET_DROP_PREFIX } from '../../infra/constructs/app-function';
import { DROP_SIDECAR_PATTERN, FILE_DROP_DELIVERY } from '../../infra/constructs/file-drop-trigger';
import {
  actionsOf,
  type CfnValue,
  crossStack,
  flatten,
  functionsByName,
  logicalIdOf,
  resourceList,
  resourcesOf,
  statementsOf,
  synthPlatform,
} from './synth-platform';

// Arrange (once: synthesis takes a few seconds)
const { stateful, stateless } = synthPlatform();
const functions = functionsByName(stateless);
const [uploadBucketId, uploadBucket] =
  resourcesOf(stateful, 'AWS::S3::Bucket').find(([id]) => id.startsWith('UploadBucket')) ?? [];
const [receiverId] = functions.get('receive-file-drop') ?? [];
const rules = resourcesOf(stateless, 'AWS::Events::Rule').filter(([, rule]) =>
  rule.Properties.EventPattern?.source?.includes('aws.s3'),
);

/** EventBridge's wildcard matching (`*` is any run of characters, `/` included). */
const wildcard = (pattern: string) =>
  new RegExp(
    `^${pattern
      .split('*')
      .map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&'))
      .join('.*')}$`,
  );

describe('S3 file drops (S3 → EventBridge → receive-file-drop)', () => {
  it('the upload bucket sends its events to EventBridge natively (no notifications custom resource)', () => {
    // Assert
    expect(uploadBucket?.Properties.NotificationConfiguration).toEqual({
      EventBridgeConfiguration: { EventBridgeEnabled: true },
    });
    for (const template of [stateful, stateless]) {
      expect(resourcesOf(template, 'Custom::S3BucketNotifications')).toEqual([]);
    }
  });

  it('the stateful stack references nothing of the stateless one (no cycle)', () => {
    // Assert
    const text = JSON.stringify(stateful.toJSON());
    expect(text).not.toContain('Fn::ImportValue');
    expect(text).not.toContain('Fn::GetStackOutput');
  });

  it('one rule: "Object Created" of the upload bucket, sidecars under drops/ only', () => {
    // Assert
    expect(rules).toHaveLength(1);
    const [, rule] = rules[0] ?? [];
    const pattern = rule?.Properties.EventPattern;
    expect(pattern).toMatchObject({
      source: ['aws.s3'],
      'detail-type': ['Object Created'],
      detail: { object: { key: [{ wildcard: DROP_SIDECAR_PATTERN }] } },
    });
    expect(logicalIdOf(crossStack(stateful, pattern.detail.bucket.name[0]))).toBe(uploadBucketId);
    expect(rule?.Properties.State ?? 'ENABLED').toBe('ENABLED');
  });

  it('the pattern takes every sidecar key and nothing the platform writes, nor the data files', () => {
    // Arrange
    const matches = wildcard(DROP_SIDECAR_PATTERN);
    const drops = objectKeys.dropPrefix('01ACCOUNT');
    // Assert
    expect(drops.startsWith(BUCKET_DROP_PREFIX)).toBe(true);
    for (const key of [`${drops}clients.xlsx.json`, `${drops}2026/05/list.csv.json`]) {
      expect(matches.test(key)).toBe(true);
    }
    for (const key of [
      `${drops}clients.xlsx`,
      `${drops}clients.csv`,
      objectKeys.upload('01ACCOUNT', 'u1'),
      objectKeys.chunk('01ACCOUNT', 'b1', 'ready', 0),
      'uploads/drops/x.json',
    ]) {
      expect(matches.test(key)).toBe(false);
    }
  });

  it('targets receive-file-drop, which EventBridge may invoke from this rule only', () => {
    // Act
    const [ruleId, rule] = rules[0] ?? [];
    const targets = rule?.Properties.Targets as { Arn: unknown }[];
    const permissions = resourcesOf(stateless, 'AWS::Lambda::Permission').filter(
      ([, p]) => logicalIdOf(p.Properties.FunctionName) === receiverId,
    );
    // Assert
    expect(targets.map((t) => logicalIdOf(t.Arn))).toEqual([receiverId]);
    expect(permissions).toHaveLength(1);
    expect(permissions[0]?.[1].Properties).toMatchObject({
      Action: 'lambda:InvokeFunction',
      Principal: 'events.amazonaws.com',
    });
    expect(logicalIdOf(permissions[0]?.[1].Properties.SourceArn)).toBe(ruleId);
  });

  it('an event EventBridge cannot deliver goes, after explicit retries, to an encrypted, TLS-only DLQ', () => {
    // Act
    const [, rule] = rules[0] ?? [];
    const [target] = (rule?.Properties.Targets ?? []) as {
      RetryPolicy: { MaximumRetryAttempts: number; MaximumEventAgeInSeconds: number };
      DeadLetterConfig?: { Arn: unknown };
    }[];
    const dlqId = logicalIdOf(target?.DeadLetterConfig?.Arn);
    const dlq = resourcesOf(stateless, 'AWS::SQS::Queue').find(([id]) => id === dlqId)?.[1];
    // Assert
    expect(target?.RetryPolicy).toEqual({
      MaximumRetryAttempts: FILE_DROP_DELIVERY.ruleRetryAttempts,
      MaximumEventAgeInSeconds: FILE_DROP_DELIVERY.maxEventAge.toSeconds(),
    });
    expect(FILE_DROP_DELIVERY.maxEventAge.toSeconds()).toBe(3_600);
    expect(dlq?.Properties).toMatchObject({
      QueueName: expect.stringMatching(/-file-drops-dlq$/),
      SqsManagedSseEnabled: true,
      MessageRetentionPeriod: 14 * 24 * 3600,
    });
    expect(dlq?.DeletionPolicy).toBe('Retain');
  });

  it('only EventBridge, for this rule only, may send to the DLQ; plain HTTP is denied', () => {
    // Act
    const [ruleId, rule] = rules[0] ?? [];
    const dlqId = logicalIdOf(rule?.Properties.Targets[0]?.DeadLetterConfig?.Arn);
    const statements = resourcesOf(stateless, 'AWS::SQS::QueuePolicy')
      .filter(([, policy]) => (policy.Properties.Queues as CfnValue[]).some((q) => q.Ref === dlqId))
      .flatMap(([, policy]) => policy.Properties.PolicyDocument.Statement as Record<string, CfnValue>[]);
    const allows = statements.filter((s) => s.Effect === 'Allow');
    // Assert
    expect(allows).toHaveLength(1);
    expect(allows[0]).toMatchObject({
      Action: 'sqs:SendMessage',
      Principal: { Service: 'events.amazonaws.com' },
    });
    expect(logicalIdOf(allows[0]?.Resource)).toBe(dlqId);
    expect(logicalIdOf(allows[0]?.Condition?.ArnEquals?.['aws:SourceArn'])).toBe(ruleId);
    expect(Object.keys(allows[0]?.Condition ?? {})).toEqual(['ArnEquals']);
    expect(statements).toContainEqual(
      expect.objectContaining({
        Effect: 'Deny',
        Action: 'sqs:*',
        Condition: { Bool: { 'aws:SecureTransport': 'false' } },
      }),
    );
  });

  it("a failed invocation, after Lambda's 2 retries, lands in the same DLQ (on-failure destination)", () => {
    // Act
    const [, rule] = rules[0] ?? [];
    const dlqId = logicalIdOf(rule?.Properties.Targets[0]?.DeadLetterConfig?.Arn);
    const configs = resourcesOf(stateless, 'AWS::Lambda::EventInvokeConfig').filter(
      ([, c]) => logicalIdOf(c.Properties.FunctionName) === receiverId,
    );
    // Assert
    expect(configs).toHaveLength(1);
    expect(configs[0]?.[1].Properties).toMatchObject({
      Qualifier: '$LATEST',
      MaximumRetryAttempts: 2,
      MaximumEventAgeInSeconds: 3_600,
    });
    expect(logicalIdOf(configs[0]?.[1].Properties.DestinationConfig.OnFailure.Destination)).toBe(dlqId);
    expect(configs[0]?.[1].Properties.DestinationConfig.OnSuccess).toBeUndefined();
  });

  it('a message in the DLQ raises an alarm, to the alarm topic, like the other DLQs', () => {
    // Act
    const [, rule] = rules[0] ?? [];
    const dlqId = logicalIdOf(rule?.Properties.Targets[0]?.DeadLetterConfig?.Arn);
    const [topicId] =
      resourcesOf(stateful, 'AWS::SNS::Topic').find(([id]) => id.startsWith('AlarmTopic')) ?? [];
    const alarms = resourcesOf(stateless, 'AWS::CloudWatch::Alarm').filter(([, a]) =>
      (a.Properties.Dimensions as { Value: CfnValue }[] | undefined)?.some(
        (d) => logicalIdOf(d.Value) === dlqId,
      ),
    );
    // Assert
    expect(alarms).toHaveLength(1);
    const alarm = alarms[0]?.[1].Properties;
    expect(alarm).toMatchObject({
      MetricName: 'ApproximateNumberOfMessagesVisible',
      Namespace: 'AWS/SQS',
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
    for (const actions of [alarm?.AlarmActions, alarm?.OKActions]) {
      expect(actions.map((a: CfnValue) => logicalIdOf(crossStack(stateful, a)))).toEqual([topicId]);
    }
  });

  it('drops are read-only for every function; receive-file-drop reads them', () => {
    // Act
    const onDrops = [...functions.entries()].flatMap(([name, [, fn]]) =>
      statementsOf(stateless, fn)
        .filter((s) => resourceList(s).some((r) => flatten(crossStack(stateful, r)).includes('/drops/')))
        .flatMap((s) => actionsOf(s).map((action) => `${name} ${action}`)),
    );
    // Assert
    expect(onDrops).toContain('receive-file-drop s3:GetObject');
    expect(onDrops).toContain('parse-batch-file s3:GetObject');
    expect(onDrops.filter((grant) => !grant.endsWith(' s3:GetObject'))).toEqual([]);
  });
});
