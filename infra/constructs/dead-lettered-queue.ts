import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { visibilityTimeoutSeconds } from '#topology/functions';
import { type QueueSpec, VISIBILITY_TIMEOUT_FACTOR } from '#topology/queues';
import { deadLetterAlarm } from './dead-letters';

export interface DeadLetteredQueueProps {
  /** The queue's entry in QUEUES. */
  readonly spec: QueueSpec;
  /** Prefix of the physical queue names: `<prefix>-<spec.name>` and `<prefix>-<spec.name>-dlq`. */
  readonly namePrefix: string;
  /** Where the DLQ alarm notifies. */
  readonly alarmTopic: ITopic;
}

/**
 * One QUEUES entry: the queue, its dead-letter queue (after `maxReceiveCount` receives) and an alarm as
 * soon as one message lands in the DLQ. The visibility timeout follows the consumer's timeout (AWS: at
 * least six times it), so a slow batch is never handed to a second consumer while the first still runs.
 */
export class DeadLetteredQueue extends Construct {
  readonly queue: Queue;
  readonly deadLetterQueue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: DeadLetteredQueueProps) {
    super(scope, id);
    const { spec } = props;
    this.deadLetterQueue = new Queue(this, 'Dlq', {
      queueName: `${props.namePrefix}-${spec.name}-dlq`,
      retentionPeriod: Duration.days(spec.dlqRetentionDays),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.queue = new Queue(this, 'Queue', {
      queueName: `${props.namePrefix}-${spec.name}`,
      visibilityTimeout: Duration.seconds(visibilityTimeoutSeconds(spec.consumer, VISIBILITY_TIMEOUT_FACTOR)),
      deadLetterQueue: { queue: this.deadLetterQueue, maxReceiveCount: spec.maxReceiveCount },
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    this.alarm = deadLetterAlarm(
      this,
      this.deadLetterQueue,
      `Messages of ${spec.name} failed ${spec.maxReceiveCount} times and wait in its DLQ (redrive after fixing the cause)`,
      props.alarmTopic,
    );
  }
}
