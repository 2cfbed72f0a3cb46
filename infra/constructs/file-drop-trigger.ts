import { Duration } from 'aws-cdk-lib';
import { Match, Rule } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import { EventDeadLetters, type EventDelivery } from './dead-letters';

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
export const FILE_DROP_DELIVERY: EventDelivery = {
  maxEventAge: Duration.hours(1),
  ruleRetryAttempts: 8,
  functionRetryAttempts: 2,
};

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
 * A drop is never lost silently: whether EventBridge cannot hand the event to Lambda or the function
 * fails (refused drops do not fail it, they are recorded; infrastructure errors do), after the retries
 * it waits in one dead-letter queue, which raises an alarm (`EventDeadLetters`).
 */
export class FileDropTrigger extends Construct {
  readonly rule: Rule;
  readonly deadLetters: EventDeadLetters;

  constructor(scope: Construct, id: string, props: FileDropTriggerProps) {
    super(scope, id);
    this.deadLetters = new EventDeadLetters(this, {
      queueName: `${props.namePrefix}-file-drops-dlq`,
      of: 'the file-drop rule and receive-file-drop',
      alarmDescription:
        'A file drop (a sidecar under drops/) could not be received: its event waits in the file-drops DLQ (docs/file-drops.md, "When a drop is not received")',
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
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
    this.rule.addTarget(this.deadLetters.lambdaTarget(props.handler, FILE_DROP_DELIVERY));
  }
}
