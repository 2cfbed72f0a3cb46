import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

/**
 * Sidecar keys of S3 file drops (`objectKeys.dropPrefix(account)` + `<file>.json`, docs/file-drops.md).
 * EventBridge's `*` spans `/`, so this is "under drops/, ending in .json".
 */
export const DROP_SIDECAR_PATTERN = 'drops/*.json';

/**
 * How long a drop may wait for `receive-file-drop`, and how often each side retries. An hour, not
 * EventBridge's default day: a sidecar with `autoStart` processed a day late would send a day late, so
 * past the hour the event goes to the DLQ and an operator decides (docs/file-drops.md).
 */
export const FILE_DROP_DELIVERY = {
  maxEventAge: Duration.hours(1),
  /** EventBridge → Lambda's Invoke API (throttling, service errors). */
  ruleRetryAttempts: 8,
  /** Lambda's own retries of a failed asynchronous invocation (its default, made explicit). */
  functionRetryAttempts: 2,
} as const;

export interface FileDropTriggerProps {
  /** The upload bucket; its stack sends its events to EventBridge (`EventBridgeConfiguration`). */
  readonly bucket: IBucket;
  /** `receive-file-drop`. */
  readonly handler: IFunction;
  /** The DLQ's physical name is `<prefix>-file-drops-dlq`. */
  readonly namePrefix: string;
  /** Where the DLQ alarm notifies. @default - the alarm has no action */
  readonly alarmTopic?: ITopic;
}

/**
 * S3 → EventBridge → `receive-file-drop`, for sidecars only: an "Object Created" event of the upload
 * bucket under `drops/` ending in `.json`. The bucket lives in the stateful stack and the function in the
 * stateless one; a direct bucket notification would make the bucket's stack reference the function (a
 * cycle with the function's grants on the bucket), while this rule lives beside the function and only
 * reads the bucket's name. For the same reason the DLQ lives here: its policy names the rule.
 *
 * A drop is never lost silently. Two ways an event can fail, one dead-letter queue for both, which
 * raises an alarm: EventBridge cannot hand it to Lambda (retried, then the rule target's DLQ gets the
 * event itself), or Lambda accepted it and the function failed (refused drops do not fail it, they are
 * recorded; infrastructure errors do): Lambda retries twice, then its on-failure destination gets an
 * invocation record with the event as `requestPayload`.
 */
export class FileDropTrigger extends Construct {
  readonly rule: Rule;
  readonly deadLetterQueue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: FileDropTriggerProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'Dlq', {
      queueName: `${props.namePrefix}-file-drops-dlq`,
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: that of the file-drop rule target and of receive-file-drop asynchronous invocations (which cdk-nag does not recognise as one).',
    });

    this.rule = new Rule(this, 'Rule', {
      description: 'S3 file drops: a sidecar under drops/ of the upload bucket starts receive-file-drop',
      eventPattern: {
        source: ['aws.s3'],
        detailType: ['Object Created'],
        detail: {
          bucket: { name: [props.bucket.bucketName] },
          object: { key: Match.wildcard(DROP_SIDECAR_PATTERN) },
        },
      },
    });
    // Adds the queue policy: sqs:SendMessage for events.amazonaws.com, from this rule's ARN only.
    this.rule.addTarget(
      new LambdaFunction(props.handler, {
        deadLetterQueue: this.deadLetterQueue,
        retryAttempts: FILE_DROP_DELIVERY.ruleRetryAttempts,
        maxEventAge: FILE_DROP_DELIVERY.maxEventAge,
      }),
    );
    props.handler.configureAsyncInvoke({
      retryAttempts: FILE_DROP_DELIVERY.functionRetryAttempts,
      maxEventAge: FILE_DROP_DELIVERY.maxEventAge,
      onFailure: new SqsDestination(this.deadLetterQueue),
    });

    this.alarm = new Alarm(this, 'DlqNotEmpty', {
      alarmDescription:
        'A file drop (a sidecar under drops/) could not be received: its event waits in the file-drops DLQ (docs/file-drops.md, "When a drop is not received")',
      metric: this.deadLetterQueue.metricApproximateNumberOfMessagesVisible({
        period: Duration.minutes(1),
        statistic: 'Maximum',
      }),
      threshold: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    });
    if (props.alarmTopic) {
      this.alarm.addAlarmAction(new SnsAction(props.alarmTopic));
      this.alarm.addOkAction(new SnsAction(props.alarmTopic));
    }
  }
}
