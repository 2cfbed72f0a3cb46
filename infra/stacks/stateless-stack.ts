import { Aws, CfnOutput, Duration, RemovalPolicy, Stack, type StackProps, Validations } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import { CfnConfigurationSet } from 'aws-cdk-lib/aws-smsvoice';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import { QUEUES, type QueueKey } from '#topology/queues';
import { WORKFLOWS } from '#topology/workflows';
import { type CarrierConfig, pascalCase, platformNames } from '../config';
import { AppFunction } from '../constructs/app-function';
import { BatchScheduler } from '../constructs/batch-scheduler';
import { BatchWorkflows } from '../constructs/batch-workflows';
import { FileDropTrigger } from '../constructs/file-drop-trigger';
import { PlatformApi } from '../constructs/platform-api';
import { WorkflowEndRules } from '../constructs/workflow-end-rules';

export interface StatelessStackProps extends StackProps {
  readonly stage: string;
  readonly carrier: CarrierConfig;
  readonly table: ITable;
  /**
   * Batch files and chunks; functions with `bucket` in their spec get it. It must send its events to
   * EventBridge (S3 file drops).
   */
  readonly uploadBucket: IBucket;
  /** The (retained) EventBridge Scheduler group for batch start schedules. */
  readonly scheduleGroupName: string;
  readonly queues: Readonly<Record<QueueKey, IQueue>>;
  /** Where End User Messaging publishes delivery events; required when `carrier.kind` is `eum`. */
  readonly deliveryReportTopic?: ITopic;
  /** Where this stack's alarms notify (the stateful stack's alarm topic). */
  readonly alarmTopic?: ITopic;
}

/**
 * The code: one function per FUNCTIONS entry, bound exactly as its spec says, the queue consumers, the
 * carrier configuration, the batch workflows and their scheduler role, and the HTTP API. It holds no
 * data, so it can be destroyed and redeployed freely.
 */
export class StatelessStack extends Stack {
  readonly functions: Record<FunctionName, AppFunction>;
  readonly workflows: BatchWorkflows;
  /** Present when a function `schedules` (FUNCTIONS). */
  readonly scheduler?: BatchScheduler;
  readonly api: PlatformApi;
  readonly configurationSet?: CfnConfigurationSet;
  /** S3 file drops: the upload bucket's sidecar events → `receive-file-drop`. */
  readonly fileDrops: FileDropTrigger;
  /** Workflow runs that end FAILED/TIMED_OUT/ABORTED → `recover-workflow-run`. */
  readonly workflowEnds: WorkflowEndRules;

  constructor(scope: Construct, id: string, props: StatelessStackProps) {
    super(scope, id, props);
    const names = platformNames(props.stage);
    const removal = props.stage === 'prod' ? RemovalPolicy.RETAIN : RemovalPolicy.DESTROY;

    this.functions = Object.fromEntries(
      (Object.keys(FUNCTIONS) as FunctionName[]).map((name) => {
        const fn = new AppFunction(this, `${pascalCase(name)}Fn`, { name, logRemovalPolicy: removal });
        fn.bindTable(props.table, fn.spec.table);
        for (const key of fn.spec.sendsTo) fn.bindQueue(props.queues[key], QUEUES[key].urlEnv);
        if (fn.spec.bucket) fn.bindBucket(props.uploadBucket, fn.spec.bucket, fn.spec.bucketDeletes);
        if (fn.spec.webhookSecret) {
          fn.bindSecureParameter('CARRIER_WEBHOOK_SECRET_PARAM', names.carrierWebhookSecretParameter);
        }
        return [name, fn];
      }),
    ) as Record<FunctionName, AppFunction>;

    if (props.carrier.kind === 'eum') {
      if (!props.deliveryReportTopic) throw new Error('carrier=eum needs the delivery-report topic');
      this.configurationSet = new CfnConfigurationSet(this, 'ConfigurationSet', {
        configurationSetName: names.configurationSet,
        eventDestinations: [
          {
            eventDestinationName: 'delivery-reports',
            enabled: true,
            matchingEventTypes: ['TEXT_ALL'],
            snsDestination: { topicArn: props.deliveryReportTopic.topicArn },
          },
        ],
      });
    }
    for (const fn of Object.values(this.functions)) {
      if (fn.spec.carrier) this.bindCarrier(fn, props.carrier, names);
    }

    for (const key of Object.keys(QUEUES) as QueueKey[]) {
      const spec = QUEUES[key];
      this.functions[spec.consumer].addEventSource(
        new SqsEventSource(props.queues[key], {
          batchSize: spec.batchSize,
          maxBatchingWindow: Duration.seconds(spec.maxBatchingWindowSeconds),
          reportBatchItemFailures: true,
        }),
      );
    }

    this.workflows = new BatchWorkflows(this, 'Workflows', {
      functions: this.functions,
      namePrefix: names.prefix,
      logRemovalPolicy: removal,
    });
    if (Object.values(this.functions).some((fn) => fn.spec.schedules)) {
      this.scheduler = new BatchScheduler(this, 'BatchScheduler', {
        stateMachine: this.workflows.workflows.sendBatch.stateMachine,
        groupName: props.scheduleGroupName,
        // ≤ 64 characters: a 20-character stage and the longest region names fit.
        roleName: `${names.prefix}-scheduler-${Aws.REGION}`,
      });
    }
    for (const fn of Object.values(this.functions)) {
      for (const key of fn.spec.startsWorkflows ?? []) {
        const { stateMachine, executionArns } = this.workflows.workflows[key];
        fn.bindWorkflow(stateMachine, WORKFLOWS[key].arnEnv, executionArns);
      }
      if (fn.spec.schedules) this.scheduler?.grantScheduling(fn);
      const target = fn.spec.scheduleTarget as FunctionName | undefined;
      if (target && this.scheduler) this.scheduler.grantRecurring(fn, this.functions[target]);
    }

    this.workflowEnds = new WorkflowEndRules(this, 'WorkflowEnds', {
      stateMachines: {
        analyseBatch: this.workflows.workflows.analyseBatch.stateMachine,
        sendBatch: this.workflows.workflows.sendBatch.stateMachine,
        importContacts: this.workflows.workflows.importContacts.stateMachine,
        purgeContactGroup: this.workflows.workflows.purgeContactGroup.stateMachine,
        importBlocklist: this.workflows.workflows.importBlocklist.stateMachine,
      },
      functions: this.functions,
      namePrefix: names.prefix,
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
    });

    this.fileDrops = new FileDropTrigger(this, 'FileDrops', {
      bucket: props.uploadBucket,
      handler: this.functions['receive-file-drop'],
      namePrefix: names.prefix,
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
    });

    this.api = new PlatformApi(this, 'Api', {
      apiName: names.prefix,
      functions: this.functions,
      logRemovalPolicy: removal,
    });

    this.acknowledgeXRayWildcard();
    new CfnOutput(this, 'ApiUrl', { value: this.api.url });
    for (const [key, { stateMachine }] of Object.entries(this.workflows.workflows)) {
      new CfnOutput(this, `${pascalCase(key)}WorkflowArn`, { value: stateMachine.stateMachineArn });
    }
    if (this.configurationSet) {
      new CfnOutput(this, 'ConfigurationSetName', { value: names.configurationSet });
    }
  }

  /** Sets the carrier adapter's configuration on a function that talks to the carrier, with its grants. */
  private bindCarrier(
    fn: AppFunction,
    carrier: CarrierConfig,
    names: ReturnType<typeof platformNames>,
  ): void {
    fn.addEnvironment('CARRIER', carrier.kind);
    if (carrier.kind === 'sim') {
      fn.addEnvironment('CARRIER_SIM_URL', carrier.url);
      fn.bindSecureParameter('CARRIER_SIM_API_KEY_PARAM', names.carrierSimApiKeyParameter);
      return;
    }
    fn.addEnvironment('EUM_CONFIGURATION_SET', names.configurationSet);
    if (carrier.originationIdentity)
      fn.addEnvironment('EUM_ORIGINATION_IDENTITY', carrier.originationIdentity);
    if (this.configurationSet) fn.node.addDependency(this.configurationSet);
    // SendTextMessage is authorized against the configuration set and against whichever origination
    // identity (phone number, pool, sender id) and opt-out list End User Messaging uses for the message;
    // those are provisioned outside this app, so the grant covers this account's sms-voice resources in
    // this region, for this one action.
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['sms-voice:SendTextMessage'],
        resources: [this.formatArn({ service: 'sms-voice', resource: '*' })],
      }),
    );
    Validations.of(fn.role ?? fn).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::${SMS_VOICE_RESOURCE_FINDING}]`,
      reason:
        'sms-voice:SendTextMessage is authorized against the origination identity (phone number, pool or sender id) and opt-out list End User Messaging picks per message; they are provisioned outside this app, so the resource is every sms-voice resource of this account and region, for this single action.',
    });
  }

  /** The one wildcard every function keeps, explained (cdk-nag AwsSolutions-IAM5). */
  private acknowledgeXRayWildcard(): void {
    for (const fn of Object.values(this.functions)) {
      Validations.of(fn.role ?? fn).acknowledge({
        id: 'AwsSolutions::AwsSolutions-IAM5[Resource::*]',
        reason:
          'Active X-Ray tracing: xray:PutTraceSegments and xray:PutTelemetryRecords do not support resource-level permissions, so CDK grants them on "*" (and nothing else is granted on "*").',
      });
    }
  }
}

/** How cdk-nag spells the account- and region-wide sms-voice ARN in its finding id. */
const SMS_VOICE_RESOURCE_FINDING = 'arn:<AWS::Partition>:sms-voice:<AWS::Region>:<AWS::AccountId>:*';
