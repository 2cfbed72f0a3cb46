import { describe, expect, it } from 'vitest';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '#topology/functions';
import { QUEUES, type QueueKey } from '#topology/queues';
import { BUCKETS, objectKeys } from '#topology/workflows';
import { platformNames } from '../../infra/config';
import {
  BUCKET_DROP_PREFIX,
  BUCKET_OBJECT_ACTIONS,
  BUCKET_OBJECT_PREFIXES,
} from '../../infra/constructs/app-function';
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
  TEST_CARRIER_URL,
} from './synth-platform';

// Arrange (once)
const { stateful, stateless } = synthPlatform();
const functions = functionsByName(stateless);
const specs = Object.entries(FUNCTIONS) as [FunctionName, FunctionSpec][];
const DYNAMODB_WRITES =
  /^dynamodb:(PutItem|UpdateItem|DeleteItem|BatchWriteItem|PartiQL(Insert|Update|Delete)|\*)/;
const queueIdOf = (key: QueueKey) =>
  resourcesOf(stateful, 'AWS::SQS::Queue').find(
    ([, q]) => q.Properties.QueueName === `${platformNames('dev').prefix}-${QUEUES[key].name}`,
  )?.[0];

const [uploadBucketId] =
  resourcesOf(stateful, 'AWS::S3::Bucket').find(([id]) => id.startsWith('UploadBucket')) ?? [];
/** A resource of the stateless stack, cross-stack references followed into the stateful one, as one string. */
const followed = (value: CfnValue): string =>
  flatten(
    value?.['Fn::Join']
      ? {
          'Fn::Join': [
            value['Fn::Join'][0],
            value['Fn::Join'][1].map((v: CfnValue) => crossStack(stateful, v)),
          ],
        }
      : crossStack(stateful, value),
  );

const fnOf = (name: FunctionName) => {
  const entry = functions.get(name);
  if (!entry) throw new Error(`no function ${name} in the template`);
  return entry[1];
};

describe('functions', () => {
  it('are exactly one per FUNCTIONS entry (and no others)', () => {
    // Assert
    expect([...functions.keys()].sort()).toEqual(Object.keys(FUNCTIONS).sort());
    expect(resourcesOf(stateless, 'AWS::Lambda::Function')).toHaveLength(specs.length);
  });

  it.each(specs)(
    '%s: Node 24 on arm64, traced, sized from its spec, with its own log group',
    (name, spec) => {
      // Act
      const fn = fnOf(name);
      // Assert
      expect(fn.Properties).toMatchObject({
        Runtime: 'nodejs24.x',
        Architectures: ['arm64'],
        TracingConfig: { Mode: 'Active' },
        Timeout: spec.timeoutSeconds,
        MemorySize: spec.memoryMb,
        Handler: 'index.handler',
      });
      const logGroup =
        stateless.toJSON().Resources[logicalIdOf(fn.Properties.LoggingConfig.LogGroup) as string];
      expect(logGroup.Properties.RetentionInDays).toBe(30);
    },
  );
});

describe('least privilege', () => {
  it.each(specs)('%s: table access is exactly its spec', (name, spec) => {
    // Act
    const fn = fnOf(name);
    const dynamo = statementsOf(stateless, fn).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:')),
    );
    const actions = dynamo.flatMap(actionsOf);
    // Assert
    if (spec.table === 'none') {
      expect(actions).toEqual([]);
      expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeUndefined();
      return;
    }
    expect(fn.Properties.Environment.Variables.TABLE_NAME).toBeDefined();
    expect(actions).toContain('dynamodb:Query');
    if (spec.table === 'read') expect(actions.filter((a) => DYNAMODB_WRITES.test(a))).toEqual([]);
    else expect(actions).toEqual(expect.arrayContaining(['dynamodb:PutItem', 'dynamodb:UpdateItem']));
    expect(actions.some((a) => a.startsWith('dynamodb:Transact'))).toBe(false);
  });

  it.each(specs)(
    '%s: may send only to the queues its spec names (and its async-failure DLQ)',
    (name, spec) => {
      // Act
      const fn = fnOf(name);
      const sendTargets = statementsOf(stateless, fn)
        .filter((s) => actionsOf(s).includes('sqs:SendMessage'))
        .flatMap(resourceList)
        .map((r) => logicalIdOf(crossStack(stateful, r)));
      // Lambda sends a failed asynchronous invocation's record to its on-failure destination with the
      // function's role (receive-file-drop: the file-drops DLQ).
      const [fnId] = functions.get(name) ?? [];
      const onFailure = resourcesOf(stateless, 'AWS::Lambda::EventInvokeConfig')
        .filter(([, config]) => logicalIdOf(config.Properties.FunctionName) === fnId)
        .flatMap(([, config]) => config.Properties.DestinationConfig?.OnFailure?.Destination ?? [])
        .map(logicalIdOf);
      // Assert
      expect(sendTargets.sort()).toEqual([...spec.sendsTo.map(queueIdOf), ...onFailure].sort());
      for (const key of Object.keys(QUEUES) as QueueKey[]) {
        const env = fn.Properties.Environment.Variables[QUEUES[key].urlEnv];
        expect(env !== undefined).toBe((spec.sendsTo as readonly QueueKey[]).includes(key));
      }
    },
  );

  it.each(specs)('%s: no wildcard resource on dynamodb or sqs actions', (name) => {
    // Act
    const statements = statementsOf(stateless, fnOf(name)).filter((s) =>
      actionsOf(s).some((a) => a.startsWith('dynamodb:') || a.startsWith('sqs:')),
    );
    // Assert
    for (const statement of statements) {
      expect(actionsOf(statement).some((a) => a.endsWith('*'))).toBe(false);
      for (const resource of resourceList(statement)) expect(JSON.stringify(resource)).not.toContain('*');
    }
  });

  it.each(specs)(
    '%s: upload bucket access is exactly its spec, under the platform key prefixes (and reads of drops)',
    (name, spec) => {
      // Act
      const fn = fnOf(name);
      const grants = statementsOf(stateless, fn)
        .filter((s) => actionsOf(s).some((a) => a.startsWith('s3:')))
        .flatMap((s) =>
          actionsOf(s).flatMap((action) => resourceList(s).map((r) => `${action} ${followed(r)}`)),
        );
      const env = fn.Properties.Environment.Variables[BUCKETS.uploads.env];
      // Assert
      if (!spec.bucket) {
        expect(grants).toEqual([]);
        expect(env).toBeUndefined();
        return;
      }
      expect(logicalIdOf(crossStack(stateful, env))).toBe(uploadBucketId);
      expect(grants.sort()).toEqual(
        [
          ...BUCKET_OBJECT_ACTIONS[spec.bucket].flatMap((action) =>
            BUCKET_OBJECT_PREFIXES.map((prefix) => `${action} <${uploadBucketId}.Arn>/${prefix}*`),
          ),
          `s3:GetObject <${uploadBucketId}.Arn>/${BUCKET_DROP_PREFIX}*`,
          `s3:ListBucket <${uploadBucketId}.Arn>`,
          ...(spec.bucketDeletes ?? []).map((prefix) => `s3:DeleteObject <${uploadBucketId}.Arn>/${prefix}*`),
        ].sort(),
      );
      if (spec.bucket === 'read') expect(grants.filter((g) => /^s3:(Put|Delete)/.test(g))).toEqual([]);
      // Deletes only where the spec names a prefix (files kept without expiry), nowhere else.
      expect(grants.filter((g) => g.startsWith('s3:Delete'))).toEqual(
        (spec.bucketDeletes ?? []).map((prefix) => `s3:DeleteObject <${uploadBucketId}.Arn>/${prefix}*`),
      );
    },
  );

  it('object grants cover every key the platform writes (objectKeys), and nothing else of the bucket', () => {
    // Arrange
    const keys = [
      objectKeys.upload('acc', 'upl'),
      objectKeys.chunk('acc', 'bat', 'parsed', 0),
      objectKeys.chunk('acc', 'bat', 'ready', 12),
      objectKeys.batchPrefix('acc', 'bat'),
    ];
    // Assert
    for (const key of keys) expect(BUCKET_OBJECT_PREFIXES.some((p) => key.startsWith(p))).toBe(true);
    expect(objectKeys.dropPrefix('acc').startsWith(BUCKET_DROP_PREFIX)).toBe(true);
    expect(BUCKET_OBJECT_ACTIONS).toEqual({
      read: ['s3:GetObject'],
      readWrite: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
    });
  });

  it.each(specs)('%s: reads SSM parameters only for the secrets its spec needs', (name, spec) => {
    // Act
    const fn = fnOf(name);
    const parameters = statementsOf(stateless, fn)
      .filter((s) => actionsOf(s).some((a) => a.startsWith('ssm:')))
      .flatMap((s) => {
        expect(actionsOf(s)).toEqual(['ssm:GetParameter']);
        return resourceList(s).map((r) => JSON.stringify(r));
      });
    const names = platformNames('dev');
    const expected = [
      ...(spec.webhookSecret ? [names.carrierWebhookSecretParameter] : []),
      ...(spec.carrier ? [names.carrierSimApiKeyParameter] : []),
    ];
    // Assert
    expect(parameters).toHaveLength(expected.length);
    for (const parameter of expected) {
      expect(parameters.some((p) => p.includes(`:parameter${parameter}"`))).toBe(true);
    }
  });
});

describe('carrier configuration (sim)', () => {
  it.each(specs.filter(([, s]) => s.carrier))(
    '%s gets the simulator URL and its API key parameter',
    (name) => {
      // Assert
      expect(fnOf(name).Properties.Environment.Variables).toMatchObject({
        CARRIER: 'sim',
        CARRIER_SIM_URL: TEST_CARRIER_URL,
        CARRIER_SIM_API_KEY_PARAM: platformNames('dev').carrierSimApiKeyParameter,
      });
    },
  );

  it.each(specs.filter(([, s]) => s.webhookSecret))('%s gets the webhook secret parameter', (name) => {
    // Assert
    expect(fnOf(name).Properties.Environment.Variables.CARRIER_WEBHOOK_SECRET_PARAM).toBe(
      platformNames('dev').carrierWebhookSecretParameter,
    );
  });

  it('nobody may send SMS through End User Messaging', () => {
    // Assert
    for (const [name] of specs) {
      const actions = statementsOf(stateless, fnOf(name)).flatMap(actionsOf);
      expect(actions.filter((a) => a.startsWith('sms-voice:'))).toEqual([]);
    }
  });
});
