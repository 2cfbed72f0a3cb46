import { ConflictException, CreateScheduleCommand, SchedulerClient } from '@aws-sdk/client-scheduler';
import { instrument } from '#observability/instrument';
import type { BatchScheduler } from '#ports/workflows';
import { deleteSchedule } from './delete-schedule';

/**
 * One-time EventBridge Scheduler schedules (`at(...)`, UTC) whose target starts the send workflow with
 * the batch's input; deleted after they fire. A retried create of the same name is a no-op.
 */
export function makeEventBridgeBatchScheduler(options: {
  client?: SchedulerClient;
  group: string;
  roleArn: string;
  sendWorkflowArn: string;
}): BatchScheduler {
  const client = options.client ?? instrument(new SchedulerClient({}), 'Scheduler');
  return {
    async scheduleSend(name, at, input) {
      try {
        await client.send(
          new CreateScheduleCommand({
            Name: name,
            GroupName: options.group,
            ScheduleExpression: `at(${at.toISOString().slice(0, 19)})`,
            ScheduleExpressionTimezone: 'UTC',
            FlexibleTimeWindow: { Mode: 'OFF' },
            ActionAfterCompletion: 'DELETE',
            Target: { Arn: options.sendWorkflowArn, RoleArn: options.roleArn, Input: JSON.stringify(input) },
          }),
        );
      } catch (error) {
        if (!(error instanceof ConflictException)) throw error;
      }
    },
    cancel(name) {
      return deleteSchedule(client, name, options.group);
    },
  };
}
