import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Annotations, Duration, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Architecture, Runtime, Tracing } from 'aws-cdk-lib/aws-lambda';
import { NodejsFunction, OutputFormat } from 'aws-cdk-lib/aws-lambda-nodejs';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName, type FunctionSpec } from '#topology/functions';
import { TABLE } from '#topology/table';
import { BUCKETS } from '#topology/workflows';
import { acknowledgeWildcardResource } from './nag';

const repoRoot = fileURLToPath(new URL('../../', import.meta.url));

/**
 * Item reads, condition checks included. TransactGetItems/TransactWriteItems have no IAM action of their own:
 * each item in a transaction is authorized as its GetItem/PutItem/UpdateItem/DeleteItem/ConditionCheckItem.
 */
export const TABLE_READ_ACTIONS = [
  'dynamodb:GetItem',
  'dynamodb:BatchGetItem',
  'dynamodb:Query',
  'dynamodb:Scan',
  'dynamodb:ConditionCheckItem',
];
/** Item writes. */
export const TABLE_WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
];

/**
 * The key prefixes of the upload bucket the platform writes (`objectKeys`: `uploads/<account>/…`,
 * `batches/<account>/…` and recurring campaigns' files `recurring/<account>/…`); object grants are scoped
 * to them.
 */
export const BUCKET_OBJECT_PREFIXES = ['uploads/', 'batches/', 'recurring/'] as const;
/**
 * Where operator-side integrations drop batch files and their sidecars (`objectKeys.dropPrefix`,
 * docs/file-drops.md). The platform never writes there: every bucket access level may read it, since a
 * dropped file is an upload like any other (previewed, parsed, made into batches by the same functions).
 */
export const BUCKET_DROP_PREFIX = 'drops/';
/**
 * Object actions by access level. `readWrite` never deletes: the bucket's lifecycle rules expire objects.
 * `s3:PutObject` covers a multipart upload's create/part/complete; aborting one (a failed export) needs
 * its own action.
 */
export const BUCKET_OBJECT_ACTIONS: Record<NonNullable<FunctionSpec['bucket']>, string[]> = {
  read: ['s3:GetObject'],
  readWrite: ['s3:GetObject', 's3:PutObject', 's3:AbortMultipartUpload'],
};

/** Where every function's code lives: `functions/<name>/handler.ts`, exporting `handler`. */
export function handlerEntry(name: FunctionName): string {
  return `${repoRoot}functions/${name}/handler.ts`;
}

export interface AppFunctionProps {
  /** The function's key in FUNCTIONS: it gives the entry, timeout, memory and description. */
  readonly name: FunctionName;
  /**
   * What happens to the function's log group when the stack is deleted.
   * @default RemovalPolicy.DESTROY
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * How long the function's logs are kept.
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

/**
 * A NodejsFunction with the house defaults (ARM64, Node 24, X-Ray, its own log group, ESM bundle with
 * source maps), sized from FUNCTIONS. Its role starts empty except for writing to its own log group (no
 * AWSLambdaBasicExecutionRole, whose logs permissions span every log group); `bind*` add the rest,
 * always setting the environment variable and the grant together.
 */
export class AppFunction extends NodejsFunction {
  readonly spec: FunctionSpec;

  constructor(scope: Construct, id: string, props: AppFunctionProps) {
    const spec: FunctionSpec = FUNCTIONS[props.name];
    const logGroup = new LogGroup(scope, `${id}Logs`, {
      retention: props.logRetention ?? RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });
    const role = new Role(scope, `${id}Role`, {
      assumedBy: new ServicePrincipal('lambda.amazonaws.com'),
      description: `Execution role of ${props.name}`,
    });
    logGroup.grantWrite(role);
    super(scope, id, {
      entry: entryFor(scope, id, props.name),
      handler: 'handler',
      depsLockFilePath: `${repoRoot}package-lock.json`,
      projectRoot: repoRoot,
      runtime: Runtime.NODEJS_24_X,
      architecture: Architecture.ARM_64,
      tracing: Tracing.ACTIVE,
      role,
      logGroup,
      timeout: Duration.seconds(spec.timeoutSeconds),
      memorySize: spec.memoryMb,
      description: spec.description,
      environment: {
        POWERTOOLS_SERVICE_NAME: props.name,
        POWERTOOLS_METRICS_NAMESPACE: 'SmsPlatform',
        NODE_OPTIONS: '--enable-source-maps',
      },
      bundling: {
        minify: true,
        sourceMap: true,
        format: OutputFormat.ESM,
        target: 'node24',
        mainFields: ['module', 'main'],
        banner:
          "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);",
        externalModules: ['@aws-sdk/*'],
      },
    });
    this.spec = spec;
  }

  /**
   * Gives the function the table at the access level its spec names (`none` grants nothing): item reads
   * (and writes for `readWrite`) on the table and on each GSI of TABLE by name. Written out rather than
   * `grantReadData`/`grantReadWriteData`, which add stream actions and `<table>/index/*`.
   */
  bindTable(table: ITable, access: FunctionSpec['table']): this {
    if (access === 'none') return this;
    this.addEnvironment('TABLE_NAME', table.tableName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: access === 'read' ? TABLE_READ_ACTIONS : [...TABLE_READ_ACTIONS, ...TABLE_WRITE_ACTIONS],
        resources: [
          table.tableArn,
          ...TABLE.globalSecondaryIndexes.map((gsi) => `${table.tableArn}/index/${gsi.indexName}`),
        ],
      }),
    );
    return this;
  }

  /** Lets the function send to `queue` (and only send), under the URL variable its consumers agree on. */
  bindQueue(queue: IQueue, urlEnv: string): this {
    this.addEnvironment(urlEnv, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /**
   * Gives the function the upload bucket (`UPLOAD_BUCKET`) at the access level its spec names: object reads
   * (and writes for `readWrite`, which includes signing presigned PUT URLs: S3 authorizes those against
   * the signer's role) under the platform's key prefixes only, reads (only) of dropped files under
   * `drops/`, and `s3:ListBucket` on the bucket so that
   * a missing key answers 404 NoSuchKey/NotFound rather than 403 (the object store relies on it).
   */
  bindBucket(
    bucket: IBucket,
    access: NonNullable<FunctionSpec['bucket']>,
    deletes: FunctionSpec['bucketDeletes'] = [],
  ): this {
    this.addEnvironment(BUCKETS.uploads.env, bucket.bucketName);
    const objects = BUCKET_OBJECT_PREFIXES.map((prefix) => bucket.arnForObjects(`${prefix}*`));
    const drops = bucket.arnForObjects(`${BUCKET_DROP_PREFIX}*`);
    this.addToRolePolicy(new PolicyStatement({ actions: BUCKET_OBJECT_ACTIONS[access], resources: objects }));
    this.addToRolePolicy(new PolicyStatement({ actions: BUCKET_OBJECT_ACTIONS.read, resources: [drops] }));
    this.addToRolePolicy(new PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucket.bucketArn] }));
    for (const resource of objects) {
      acknowledgeWildcardResource(
        this.role ?? this,
        resource,
        `Objects are keyed per account and upload or batch (objectKeys), ids generated at run time: the grant (${BUCKET_OBJECT_ACTIONS[access].join(', ')}; never delete) is scoped to the platform's key prefix in the upload bucket.`,
      );
    }
    for (const prefix of deletes) {
      const resource = bucket.arnForObjects(`${prefix}*`);
      this.addToRolePolicy(new PolicyStatement({ actions: ['s3:DeleteObject'], resources: [resource] }));
      acknowledgeWildcardResource(
        this.role ?? this,
        resource,
        `Files kept without expiry under ${prefix} are keyed per account and campaign, ids generated at run time: deleting one with its definition needs s3:DeleteObject, scoped to that prefix only.`,
      );
    }
    acknowledgeWildcardResource(
      this.role ?? this,
      drops,
      `Dropped files are keyed per account by operator-side integrations, names chosen by them (docs/file-drops.md): the grant (${BUCKET_OBJECT_ACTIONS.read.join(', ')} only) is scoped to the drop prefix of the upload bucket.`,
    );
    return this;
  }

  /**
   * Lets the function start executions of `stateMachine` (ARN in `arnEnv`) and stop them (cancelling a
   * batch stops its analysis); `executionArns` is the pattern of that state machine's executions.
   */
  bindWorkflow(stateMachine: IStateMachine, arnEnv: string, executionArns: string): this {
    this.addEnvironment(arnEnv, stateMachine.stateMachineArn);
    stateMachine.grantStartExecution(this);
    this.addToRolePolicy(
      new PolicyStatement({ actions: ['states:StopExecution'], resources: [executionArns] }),
    );
    acknowledgeWildcardResource(
      this.role ?? this,
      executionArns,
      'states:StopExecution is authorized on the execution, whose ARN ends in its run-time name: the grant covers the executions of this one state machine.',
    );
    return this;
  }

  /**
   * Passes the name of an SSM SecureString parameter (created outside CloudFormation, which cannot create
   * SecureStrings) and grants `ssm:GetParameter` on that one parameter. Encrypted with the account's
   * `aws/ssm` key, no KMS grant is needed: that AWS-managed key's policy allows every principal of the
   * account to decrypt through SSM.
   */
  bindSecureParameter(env: string, parameterName: string): this {
    this.addEnvironment(env, parameterName);
    this.addToRolePolicy(
      new PolicyStatement({
        actions: ['ssm:GetParameter'],
        resources: [
          Stack.of(this).formatArn({
            service: 'ssm',
            resource: 'parameter',
            resourceName: parameterName.replace(/^\//, ''),
          }),
        ],
      }),
    );
    return this;
  }
}

/**
 * NodejsFunction insists that the entry file exists, even when bundling is skipped (tests, `cdk synth -c
 * bundling=false`). Then, and only then, a missing handler falls back to this file, which is
 * never bundled, and says so; a real synth still fails loudly on a missing handler.
 */
function entryFor(scope: Construct, id: string, name: FunctionName): string {
  const entry = handlerEntry(name);
  if (existsSync(entry) || Stack.of(scope).bundlingRequired) return entry;
  Annotations.of(scope).addInfo(`${id}: ${entry} does not exist yet (bundling skipped, so synth goes on)`);
  return fileURLToPath(import.meta.url);
}
