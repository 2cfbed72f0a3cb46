import { Duration } from 'aws-cdk-lib';
import { EventField, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { FunctionName } from '#topology/functions';
import { ABNORMAL_END_STATUSES, WORKFLOWS, type WorkflowKey } from '#topology/workflows';
import { pascalCase } from '../config';
import { EventDeadLetters, type EventDelivery } from './dead-letters';

export interface WorkflowEndRulesProps {
  readonly stateMachines: Readonly<Record<WorkflowKey, IStateMachine>>;
  readonly functions: Readonly<Record<FunctionName, IFunction>>;
  /** The DLQ's physical name is `<prefix>-workflow-ends-dlq`. */
  readonly namePrefix: string;
  /** Where the DLQ alarm notifies. @default - the alarm has no action */
  readonly alarmTopic?: ITopic;
}

/** Lambda may be throttled for a while: a day of retries, as EventBridge's default. */
const DELIVERY: EventDelivery = {
  maxEventAge: Duration.hours(24),
  ruleRetryAttempts: 10,
  functionRetryAttempts: 2,
};

/**
 * For each WORKFLOWS entry with `onAbnormalEnd`: an EventBridge rule on its executions' status changes
 * to FAILED, TIMED_OUT or ABORTED (the default bus receives them from Step Functions) → that function,
 * with `{ workflow: <WORKFLOWS key>, detail: <the event's detail> }`.
 * The ends no Catch sees must still be recovered (docs/workflows.md), so an event is never dropped:
 * whether it cannot be delivered or the function fails, after the retries it waits in a dead-letter
 * queue, which raises an alarm (`EventDeadLetters`).
 */
export class WorkflowEndRules extends Construct {
  readonly rules: Rule[] = [];
  readonly deadLetters: EventDeadLetters;

  constructor(scope: Construct, id: string, props: WorkflowEndRulesProps) {
    super(scope, id);
    this.deadLetters = new EventDeadLetters(this, {
      queueName: `${props.namePrefix}-workflow-ends-dlq`,
      of: 'the workflow-end rules and their functions',
      alarmDescription:
        'A workflow run ended abnormally and what it left could not be failed (a batch: its credit may still be reserved): see the event in the DLQ (docs/workflows.md)',
      ...(props.alarmTopic ? { alarmTopic: props.alarmTopic } : {}),
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
      // The state machine's name differs between AWS and the local stack: the workflow's key says it.
      const event = RuleTargetInput.fromObject({ workflow: key, detail: EventField.fromPath('$.detail') });
      rule.addTarget(this.deadLetters.lambdaTarget(props.functions[spec.onAbnormalEnd], DELIVERY, event));
      this.rules.push(rule);
    }
  }
}
