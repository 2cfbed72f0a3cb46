import { Duration, RemovalPolicy, Validations } from 'aws-cdk-lib';
import { Alarm, ComparisonOperator, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '#topology/functions';
import { ABNORMAL_END_STATUSES, WORKFLOWS, type WorkflowKey } from '#topology/workflows';
import { pascalCase } from '../config';

export interface WorkflowEndRulesProps {
  readonly stateMachines: Readonly<Record<WorkflowKey, IStateMachine>>;
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /** The DLQ's physical name is `<prefix>-workflow-ends-dlq`. */
  readonly namePrefix: string;
  /** Where the DLQ alarm notifies. @default - the alarm has no action */
  readonly alarmTopic?: ITopic;
}

/** Retries of a failed delivery, and for how long: Lambda may be throttled for a while. */
const RETRY_ATTEMPTS = 10;
const MAX_EVENT_AGE = Duration.hours(24);

/**
 * For each WORKFLOWS entry with `onAbnormalEnd`: an EventBridge rule on its executions' status changes
 * to FAILED, TIMED_OUT or ABORTED (the default bus receives them from Step Functions) → that function,
 * with `{ workflow: <WORKFLOWS key>, detail: <the event's detail> }`.
 * The ends no Catch sees must still settle the batch (docs/workflows.md), so an event that cannot be
 * delivered is not dropped: after the retries it waits in a dead-letter queue, which raises an alarm.
 */
export class WorkflowEndRules extends Construct {
  readonly rules: Rule[] = [];
  readonly deadLetterQueue: Queue;
  readonly alarm: Alarm;

  constructor(scope: Construct, id: string, props: WorkflowEndRulesProps) {
    super(scope, id);
    this.deadLetterQueue = new Queue(this, 'Dlq', {
      queueName: `${props.namePrefix}-workflow-ends-dlq`,
      retentionPeriod: Duration.days(14),
      encryption: QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.deadLetterQueue).acknowledge({
      id: 'AwsSolutions::AwsSolutions-SQS3',
      reason:
        'This queue is itself a dead-letter queue: that of the EventBridge targets (a target DLQ, which cdk-nag does not recognise as one).',
    });
    for (const [key, spec] of Object.entries(WORKFLOWS) as [WorkflowKey, (typeof WORKFLOWS)[WorkflowKey]][]) {
      if (!('onAbnormalEnd' in spec)) continue;
      const rule = new Rule(this, `${pascalCase(key)}Ended`, {
        description: `${spec.name}: a run that ended ${ABNORMAL_END_STATUSES.join('/')} → ${spec.onAbnormalEnd}`,
        eventPattern: {
          source: ['aws.states'],
          detailType: ['Step Functions Execution Status Change'],
          detail: {
            status: [...ABNORMAL_END_STATUSES],
            stateMachineArn: [props.stateMachines[key].stateMachineArn],
          },
        },
      });
      rule.addTarget(
        new LambdaFunction(props.functions[spec.onAbnormalEnd], {
          // The state machine's name differs between AWS and the local stack: the workflow's key says it.
          event: RuleTargetInput.fromObject({ workflow: key, detail: EventField.fromPath('$.detail') }),
          deadLetterQueue: this.deadLetterQueue,
          retryAttempts: RETRY_ATTEMPTS,
          maxEventAge: MAX_EVENT_AGE,
        }),
      );
      this.rules.push(rule);
    }
    this.alarm = new Alarm(this, 'DlqNotEmpty', {
      alarmDescription:
        'A workflow run ended abnormally and what it left could not be failed (a batch: its credit may still be reserved): see the event in the DLQ',
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
