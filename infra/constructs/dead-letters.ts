import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { SqsDestination } from 'aws-cdk-lib/aws-lambda-destinations';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { type IQueue, Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/**
 * An alarm as soon as one message waits in a dead-letter queue (and OK once it is empty again), notifying
 * `topic` when given: the one shape of every DLQ alarm of the platform.
 */
export function deadLetterAlarm(scope: Construct, queue: IQueue, description: string, topic?: ITopic): Alarm {
  const alarm = new Alarm(scope, 'DlqNotEmpty', {
    alarmDescription: description,
    metric: queue.metricApproximateNumberOfMessagesVisible({
      period: Duration.minutes(1),
      statistic: 'Maximum',
    }),
    threshold: 1,
    comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
    evaluationPeriods: 1,
    treatMissingData: TreatMissingData.NOT_BREACHING,
  });
  if (topic) {
    alarm.addAlarmAction(new SnsAction(topic));
    alarm.addOkAction(new SnsAction(topic));
  }
  return alarm;
}

const LAMBDA_MAX_EVENT_AGE_SECONDS = 6 * 3600;

export interface EventDeadLettersProps {
  /** The queue's physical name. */
  readonly queueName: string;
  /** Whose events wait here (for cdk-nag's record). */
  readonly of: string;
  readonly alarmDescription: string;
  /** @default - the alarm has no action */
  readonly alarmTopic?: ITopic;
}

/** How long an event may wait for its function, and how often each side retries. */
export interface EventDelivery {
  readonly maxEventAge: Duration;
  /** EventBridge → Lambda's Invoke API (throttling, service errors). */
  readonly ruleRetryAttempts: number;
  /** Lambda's own retries of a failed asynchronous invocation (its default is 2). */
  readonly functionRetryAttempts: number;
}

/**
 * One dead-letter queue, with its alarm, for the EventBridge rules that invoke Lambda functions. An event
 * can fail two ways and both end here: EventBridge cannot hand it to Lambda (retried, then the target's
 * DLQ gets the event itself), or Lambda accepted it and the function failed (Lambda retries, then its
 * on-failure destination gets an invocation record with the event as `requestPayload`). The queue lives
 * beside the rules: its policy names them (`sqs:SendMessage` for events.amazonaws.com from each rule).
 */
export class EventDeadLetters {
  readonly queue: Queue;
  readonly alarm: Alarm;
  private readonly configured = new Set<IFunction>();

  /** Adds `Dlq` and `DlqNotEmpty` to `scope` (not a construct of its own: their ids stay the owner's). */
  constructor(scope: Construct, props: EventDeadLettersProps) {
    this.queue = new Queue(scope, 'Dlq', {
      queueName: props.queueName,
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason: `This queue is itself a dead-letter queue: that of ${props.of} (rule target DLQ and Lambda on-failure destination, which cdk-nag does not recognise as one).`,
    });
    this.alarm = deadLetterAlarm(scope, this.queue, props.alarmDescription, props.alarmTopic);
  }

  /** A rule target for `fn` whose failures, on either side, end in this queue. */
  lambdaTarget(fn: IFunction, delivery: EventDelivery, event?: RuleTargetInput): LambdaFunction {
    // A function's asynchronous invocation is configured once, however many rules target it.
    if (!this.configured.has(fn)) {
      fn.configureAsyncInvoke({
        retryAttempts: delivery.functionRetryAttempts,
        // Lambda keeps an asynchronous event at most 6 h (EventBridge up to 24 h).
        maxEventAge: Duration.seconds(
          Math.min(delivery.maxEventAge.toSeconds(), LAMBDA_MAX_EVENT_AGE_SECONDS),
        ),
        onFailure: new SqsDestination(this.queue),
      });
      this.configured.add(fn);
    }
    return new LambdaFunction(fn, {
      ...(event ? { event } : {}),
      deadLetterQueue: this.queue,
      retryAttempts: delivery.ruleRetryAttempts,
      maxEventAge: delivery.maxEventAge,
    });
  }
}
