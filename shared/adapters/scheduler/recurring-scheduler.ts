import {
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { instrument } from '#observability/instrument';
import type { RecurringScheduler } from '#ports/recurring-campaigns';
import { deleteSchedule } from './delete-schedule';

/**
 * Recurring EventBridge Scheduler schedules (`cron(...)` in the campaign's time zone) whose target is the
 * function that runs one occurrence (`run-recurring-campaign`), invoked with the campaign and the firing
 * time (`<aws.scheduler.scheduled-time>`, which makes a redelivered firing the same occurrence).
 */
export function makeEventBridgeRecurringScheduler(options: {
  client?: SchedulerClient;
  group: string;
  roleArn: string;
  targetArn: string;
}): RecurringScheduler {
  const client = options.client ?? instrument(new SchedulerClient({}), 'Scheduler');
  const request = (
    name: string,
    s: Parameters<RecurringScheduler['put']>[1],
  ): CreateScheduleCommandInput => ({
    Name: name,
    GroupName: options.group,
    ScheduleExpression: `cron(${s.cron})`,
    ScheduleExpressionTimezone: s.timezone,
    State: s.enabled ? 'ENABLED' : 'DISABLED',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: options.targetArn,
      RoleArn: options.roleArn,
      Input: JSON.stringify({ ...s.input, scheduledAt: '<aws.scheduler.scheduled-time>' }),
      // A firing that cannot be delivered within the hour is dropped: the next one follows.
      RetryPolicy: { MaximumEventAgeInSeconds: 3600, MaximumRetryAttempts: 10 },
    },
  });
  return {
    async put(name, schedule) {
      try {
        await client.send(new UpdateScheduleCommand(request(name, schedule)));
      } catch (error) {
        if (!(error instanceof ResourceNotFoundException)) throw error;
        await client.send(new CreateScheduleCommand(request(name, schedule)));
      }
    },
    delete(name) {
      return deleteSchedule(client, name, options.group);
    },
  };
}
