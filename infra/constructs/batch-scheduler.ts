import { ArnFormat, Aws, Stack, Validations } from 'aws-cdk-lib';
import { PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import type { IStateMachine } from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import type { AppFunction } from './app-function';

export interface BatchSchedulerProps {
  /** The state machine the schedules start (send-batch), and nothing else. */
  readonly stateMachine: IStateMachine;
  /** The schedule group the one-time schedules live in (created, and retained, by the stateful stack). */
  readonly groupName: string;
  /**
   * Name of the role EventBridge Scheduler assumes. Fixed, so that schedules already in the retained group
   * still name a valid role after the stateless stack is rebuilt (the state machine's name is fixed too).
   * Roles are global: the name carries the region.
   */
  readonly roleName: string;
}

/**
 * EventBridge Scheduler one-time schedules that start a batch at its start time: the role Scheduler
 * assumes (only from this account's schedule group, only to start send-batch), and `grantScheduling`
 * for the functions that create and delete those schedules.
 */
export class BatchScheduler extends Construct {
  readonly role: Role;
  readonly groupName: string;

  constructor(scope: Construct, id: string, props: BatchSchedulerProps) {
    super(scope, id);
    const stack = Stack.of(this);
    this.groupName = props.groupName;
    const groupArn = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule-group',
      resourceName: props.groupName,
    });
    this.role = new Role(this, 'Role', {
      roleName: props.roleName,
      description: `Assumed by EventBridge Scheduler (group ${props.groupName}) to start batch sends`,
      // Confused-deputy protection: only Scheduler, acting for a schedule of this group in this account.
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com').withConditions({
        StringEquals: { 'aws:SourceAccount': Aws.ACCOUNT_ID, 'aws:SourceArn': groupArn },
      }),
    });
    props.stateMachine.grantStartExecution(this.role);
  }

  /**
   * Lets `fn` create, read and delete schedules of the group (`SCHEDULER_GROUP`) and hand them the role
   * (`SCHEDULER_ROLE_ARN`): `iam:PassRole` on that role only, and only to Scheduler.
   */
  grantScheduling(fn: AppFunction): void {
    const stack = Stack.of(this);
    fn.addEnvironment('SCHEDULER_GROUP', this.groupName);
    fn.addEnvironment('SCHEDULER_ROLE_ARN', this.role.roleArn);
    const schedules = stack.formatArn({
      service: 'scheduler',
      resource: 'schedule',
      resourceName: `${this.groupName}/*`,
      arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
    });
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:CreateSchedule', 'scheduler:DeleteSchedule', 'scheduler:GetSchedule'],
        resources: [schedules],
      }),
    );
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [this.role.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(fn.role ?? fn).acknowledge({
      id: `AwsSolutions::AwsSolutions-IAM5[Resource::arn:<AWS::Partition>:scheduler:<AWS::Region>:<AWS::AccountId>:schedule/${this.groupName}/*]`,
      reason:
        'One schedule per batch or recurring campaign, named after it at run time: the grant covers the schedules of the platform batch group only (create, read, delete, and update only for the function managing recurring campaigns; no other group).',
    });
  }

  /**
   * Recurring campaign schedules (`fn` manages them, `target` runs each firing): `fn` may replace a schedule
   * (pause, resume, new cron) and gets the target's ARN in `SCHEDULE_TARGET_ARN`; the role Scheduler
   * assumes may invoke `target`, that function only (no version or alias wildcard).
   */
  grantRecurring(fn: AppFunction, target: IFunction): void {
    const stack = Stack.of(this);
    fn.addEnvironment('SCHEDULE_TARGET_ARN', target.functionArn);
    fn.addToRolePolicy(
      new PolicyStatement({
        actions: ['scheduler:UpdateSchedule'],
        resources: [
          stack.formatArn({
            service: 'scheduler',
            resource: 'schedule',
            resourceName: `${this.groupName}/*`,
            arnFormat: ArnFormat.SLASH_RESOURCE_NAME,
          }),
        ],
      }),
    );
    this.role.addToPolicy(
      new PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [target.functionArn] }),
    );
  }
}
