import { Match } from 'aws-cdk-lib/assertions';
import { describe, expect, it } from 'vitest';
import { QUEUES } from '#topology/queues';
import { TABLE } from '#topology/table';
import { objectKeys } from '#topology/workflows';
import { platformNames } from '../../infra/config';
import { crossStack, functionsByName, logicalIdOf, resourcesOf, synthPlatform } from './synth-platform';

// Arrange (once: synthesis takes a few seconds)
const { stateful, stateless } = synthPlatform();
const names = platformNames('dev');

describe('table', () => {
  const tables = resourcesOf(stateful, 'AWS::DynamoDB::Table');

  it('is the one table of TABLE: keys, GSIs with ALL projection, TTL attribute', () => {
    // Assert
    expect(tables).toHaveLength(1);
    const [, table] = tables[0] ?? [];
    expect(table?.Properties.KeySchema).toEqual([
      { AttributeName: TABLE.partitionKey, KeyType: 'HASH' },
      { AttributeName: TABLE.sortKey, KeyType: 'RANGE' },
    ]);
    expect(table?.Properties.GlobalSecondaryIndexes).toEqual(
      TABLE.globalSecondaryIndexes.map((gsi) => ({
        IndexName: gsi.indexName,
        KeySchema: [
          { AttributeName: gsi.partitionKey, KeyType: 'HASH' },
          { AttributeName: gsi.sortKey, KeyType: 'RANGE' },
        ],
        Projection: { ProjectionType: 'ALL' },
      })),
    );
    expect(table?.Properties.TimeToLiveSpecification).toEqual({
      AttributeName: TABLE.ttlAttribute,
      Enabled: true,
    });
  });

  it('is on demand, recoverable, protected from deletion and retained', () => {
    // Assert
    const [, table] = tables[0] ?? [];
    expect(table?.Properties).toMatchObject({
      BillingMode: 'PAY_PER_REQUEST',
      PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
      DeletionProtectionEnabled: true,
      SSESpecification: { SSEEnabled: true },
    });
    expect(table?.DeletionPolicy).toBe('Retain');
    expect(table?.UpdateReplacePolicy).toBe('Retain');
  });
});

describe('queues', () => {
  const queues = resourcesOf(stateful, 'AWS::SQS::Queue');
  const queueNamed = (name: string) => queues.find(([, q]) => q.Properties.QueueName === name);
  const functions = functionsByName(stateless);

  it.each(Object.entries(QUEUES))('%s has a DLQ after maxReceiveCount (≥ 5) receives', (_key, spec) => {
    // Act
    const [, queue] = queueNamed(`${names.prefix}-${spec.name}`) ?? [];
    const [dlqId, dlq] = queueNamed(`${names.prefix}-${spec.name}-dlq`) ?? [];
    // Assert
    expect(queue?.Properties.RedrivePolicy.maxReceiveCount).toBe(spec.maxReceiveCount);
    expect(queue?.Properties.RedrivePolicy.maxReceiveCount).toBeGreaterThanOrEqual(5);
    expect(logicalIdOf(queue?.Properties.RedrivePolicy.deadLetterTargetArn)).toBe(dlqId);
    expect(dlq?.Properties.MessageRetentionPeriod).toBe(spec.dlqRetentionDays * 24 * 3600);
  });

  it.each(Object.entries(QUEUES))("%s: visibility timeout ≥ 6 × its consumer's timeout", (_key, spec) => {
    // Arrange
    const [queueId, queue] = queueNamed(`${names.prefix}-${spec.name}`) ?? [];
    const [consumerId, consumer] = functions.get(spec.consumer) ?? [];
    const mapping = resourcesOf(stateless, 'AWS::Lambda::EventSourceMapping').find(
      ([, m]) => logicalIdOf(crossStack(stateful, m.Properties.EventSourceArn)) === queueId,
    );
    // Assert: the queue's consumer in the template is the one of the topology
    expect(logicalIdOf(mapping?.[1].Properties.FunctionName)).toBe(consumerId);
    expect(queue?.Properties.VisibilityTimeout).toBeGreaterThanOrEqual(6 * consumer?.Properties.Timeout);
  });

  it('are all encrypted, SSL-only and retained', () => {
    // Assert
    expect(queues).toHaveLength(2 * Object.keys(QUEUES).length);
    for (const [id, queue] of queues) {
      expect(queue.Properties.SqsManagedSseEnabled).toBe(true);
      expect(queue.DeletionPolicy).toBe('Retain');
      stateful.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: id }],
        PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport('sqs:*')]) },
      });
    }
  });

  it('raise an alarm to the alarm topic as soon as one message is in a DLQ', () => {
    // Arrange
    const [topicId] =
      resourcesOf(stateful, 'AWS::SNS::Topic').find(([, t]) => /alarms/.test(t.Properties.DisplayName)) ?? [];
    // Assert
    for (const spec of Object.values(QUEUES)) {
      const [dlqId] = queueNamed(`${names.prefix}-${spec.name}-dlq`) ?? [];
      stateful.hasResourceProperties('AWS::CloudWatch::Alarm', {
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [dlqId, 'QueueName'] } }],
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        Threshold: 1,
        AlarmActions: [{ Ref: topicId }],
      });
    }
  });
});

describe('upload bucket', () => {
  const buckets = resourcesOf(stateful, 'AWS::S3::Bucket');

  it('every bucket blocks public access, is encrypted and SSL-only', () => {
    // Assert
    for (const [id, bucket] of buckets) {
      expect(bucket.Properties.PublicAccessBlockConfiguration).toEqual({
        BlockPublicAcls: true,
        BlockPublicPolicy: true,
        IgnorePublicAcls: true,
        RestrictPublicBuckets: true,
      });
      expect(bucket.Properties.BucketEncryption.ServerSideEncryptionConfiguration).toEqual([
        { ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } },
      ]);
      stateful.hasResourceProperties('AWS::S3::BucketPolicy', {
        Bucket: { Ref: id },
        PolicyDocument: { Statement: Match.arrayWith([denyInsecureTransport('s3:*')]) },
      });
    }
  });

  it('accepts presigned PUTs from browsers, logs access and expires uploads', () => {
    // Act
    const uploads = buckets.filter(([, b]) => b.Properties.CorsConfiguration);
    // Assert
    expect(uploads).toHaveLength(1);
    const [, bucket] = uploads[0] ?? [];
    expect(bucket?.Properties.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['PUT'] }),
    ]);
    expect(bucket?.Properties.LoggingConfiguration.DestinationBucketName).toBeDefined();
    expect(bucket?.Properties.LifecycleConfiguration.Rules).toContainEqual(
      expect.objectContaining({ ExpirationInDays: 30, Status: 'Enabled' }),
    );
  });

  it('expires uploads, batch and import chunks and drops, never a recurring campaign file (recurring/)', () => {
    // Act
    const [, bucket] = buckets.find(([, b]) => b.Properties.CorsConfiguration) ?? [];
    const rules: { Prefix?: string; ExpirationInDays?: number }[] =
      bucket?.Properties.LifecycleConfiguration.Rules ?? [];
    const expiring = rules.filter((r) => r.ExpirationInDays !== undefined);
    // Assert: one rule per prefix; none without a prefix (it would cover recurring/ too)
    expect(expiring.map((r) => r.Prefix).sort()).toEqual(['batches/', 'drops/', 'imports/', 'uploads/']);
    expect(objectKeys.blocklistImportChunk('acc', 'i1', 0).startsWith('imports/')).toBe(true);
    expect(objectKeys.recurringSource('acc', 'c1', 'csv').startsWith('recurring/')).toBe(true);
  });
});

function denyInsecureTransport(action: string) {
  return Match.objectLike({
    Effect: 'Deny',
    Action: action,
    Condition: { Bool: { 'aws:SecureTransport': 'false' } },
  });
}
