import {
  ConflictException,
  CreateScheduleCommand,
  type CreateScheduleCommandInput,
  DeleteScheduleCommand,
  GetScheduleCommand,
  ListSchedulesCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  ValidationException,
} from '@aws-sdk/client-scheduler';
import { DescribeExecutionCommand, ListExecutionsCommand, SFNClient } from '@aws-sdk/client-sfn';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { FunctionName } from '#topology/functions';
import {
  type LocalScheduler,
  nextCronTime,
  parseCron,
  parseScheduleExpression,
  sfnStartExecution,
  startScheduler,
  zonedTimeToUtc,
} from '../../../local/scheduler';
import {
  type LocalStepFunctions,
  startStepFunctions,
  stateMachineArn,
  stateMachineEntry,
} from '../../../local/step-functions';

const BUCHAREST = 'Europe/Bucharest';
const utc = (iso: string) => Date.parse(iso);
const iso = (ms: number | undefined) => (ms === undefined ? undefined : new Date(ms).toISOString());

describe('the AWS cron and time zones (unit)', () => {
  it('finds the next weekday 09:00 in Bucharest, in summer (UTC+3) and in winter (UTC+2)', () => {
    // Act + Assert: Friday afternoon → Monday 09:00 local
    expect(iso(nextCronTime('0 9 ? * MON-FRI *', BUCHAREST, utc('2025-07-04T12:00:00Z')))).toBe(
      '2025-07-07T06:00:00.000Z',
    );
    expect(iso(nextCronTime('0 9 ? * MON-FRI *', BUCHAREST, utc('2025-01-10T12:00:00Z')))).toBe(
      '2025-01-13T07:00:00.000Z',
    );
    // Same day, later: Monday 08:59 local → 09:00 local
    expect(iso(nextCronTime('0 9 ? * MON-FRI *', BUCHAREST, utc('2025-07-07T05:59:00Z')))).toBe(
      '2025-07-07T06:00:00.000Z',
    );
  });

  it('skips a time that does not exist when clocks go forward (AWS rule)', () => {
    // 2025-03-30 03:00 EET → 04:00 EEST: 03:30 does not exist that day
    expect(iso(nextCronTime('30 3 * * ? *', BUCHAREST, utc('2025-03-29T02:00:00Z')))).toBe(
      '2025-03-31T00:30:00.000Z',
    );
  });

  it('fires a repeated time once when clocks go back (AWS rule)', () => {
    // 2025-10-26 04:00 EEST → 03:00 EET: 03:30 happens at 00:30Z and again at 01:30Z
    const first = nextCronTime('30 3 * * ? *', BUCHAREST, utc('2025-10-25T12:00:00Z'));
    expect(iso(first)).toBe('2025-10-26T00:30:00.000Z');
    expect(iso(nextCronTime('30 3 * * ? *', BUCHAREST, first ?? 0))).toBe('2025-10-27T01:30:00.000Z');
    // Every 15 minutes: the repeated hour is not run a second time
    expect(iso(nextCronTime('0/15 * * * ? *', BUCHAREST, utc('2025-10-26T00:50:00Z')))).toBe(
      '2025-10-26T02:00:00.000Z',
    );
  });

  it('supports lists, ranges, steps, names, L, W, LW, nL, n#k and years', () => {
    const next = (cron: string, after: string) => iso(nextCronTime(cron, 'UTC', utc(after)));
    expect(next('0 12 L * ? *', '2024-02-10T00:00:00Z')).toBe('2024-02-29T12:00:00.000Z');
    expect(next('0 12 ? * 6L *', '2025-02-01T00:00:00Z')).toBe('2025-02-28T12:00:00.000Z');
    expect(next('0 12 ? * MON#1 *', '2025-08-15T00:00:00Z')).toBe('2025-09-01T12:00:00.000Z');
    expect(next('0 12 15W * ? *', '2025-11-01T00:00:00Z')).toBe('2025-11-14T12:00:00.000Z'); // 15th: Saturday
    expect(next('0 12 LW * ? *', '2025-08-01T00:00:00Z')).toBe('2025-08-29T12:00:00.000Z'); // 31st: Sunday
    expect(next('5,35 8-10/2 1 JAN,JUL ? *', '2025-01-01T09:00:00Z')).toBe('2025-01-01T10:05:00.000Z');
    expect(next('0 0 1 1 ? 2030-2031', '2025-06-01T00:00:00Z')).toBe('2030-01-01T00:00:00.000Z');
    expect(next('0 0 1 1 ? 2030', '2030-06-01T00:00:00Z')).toBeUndefined();
  });

  it('rejects what AWS rejects', () => {
    expect(() => parseCron('0 9 * * * *')).toThrow(/Exactly one/);
    expect(() => parseCron('0 9 ? * MON-FRI')).toThrow(/6 fields/);
    expect(() => parseCron('60 9 ? * MON *')).toThrow(/not in 0-59/);
    expect(() => parseScheduleExpression('at(2025-02-30T10:00:00)')).toThrow(/Invalid date/);
    expect(() => parseScheduleExpression('rate(0 minutes)')).toThrow(/positive/);
  });

  it('places an at() time in a time zone, shifting a non-existent one forward', () => {
    expect(iso(zonedTimeToUtc(utc('2025-07-07T09:00:00Z'), BUCHAREST))).toBe('2025-07-07T06:00:00.000Z');
    expect(iso(zonedTimeToUtc(utc('2025-03-30T03:30:00Z'), BUCHAREST, 'shift'))).toBe(
      '2025-03-30T01:30:00.000Z',
    );
    expect(zonedTimeToUtc(utc('2025-03-30T03:30:00Z'), BUCHAREST, 'skip')).toBeUndefined();
  });
});

const credentials = { accessKeyId: 'local', secretAccessKey: 'local' };
const ROLE = 'arn:aws:iam::000000000000:role/scheduler';
const ECHO_ARN = stateMachineArn('Echo');

interface Started {
  readonly arn: string;
  readonly input: string;
  readonly name?: string;
}

let sfnService: LocalStepFunctions;
let sfn: SFNClient;
const running: { scheduler: LocalScheduler; client: SchedulerClient }[] = [];

beforeAll(async () => {
  const definition = { StartAt: 'Echo', States: { Echo: { Type: 'Pass', End: true } } };
  sfnService = await startStepFunctions({
    definitions: { Echo: stateMachineEntry(definition) },
    invoke: async () => null,
  });
  sfn = new SFNClient({ endpoint: sfnService.endpoint, region: 'us-east-1', credentials });
});

afterEach(async () => {
  for (const { scheduler, client } of running.splice(0)) {
    client.destroy();
    await scheduler.stop();
  }
});

afterAll(async () => {
  sfn?.destroy();
  await sfnService?.stop();
});

/** A scheduler whose targets record what they were asked (and start real executions on `Echo`). */
async function localScheduler(now?: () => number) {
  const started: Started[] = [];
  const invoked: { fn: FunctionName; event: unknown }[] = [];
  const errors: unknown[] = [];
  const failNext = { count: 0 };
  const startOnSfn = sfnStartExecution(sfn);
  const scheduler = await startScheduler({
    ...(now ? { now } : {}),
    targets: {
      startExecution: async (arn, input, name) => {
        if (failNext.count-- > 0) throw new Error('target unavailable');
        started.push({ arn, input, ...(name ? { name } : {}) });
        await startOnSfn(arn, input, name);
      },
      invokeFunction: async (fn, event) => {
        invoked.push({ fn, event });
      },
    },
    onError: (error) => errors.push(error),
  });
  const client = new SchedulerClient({
    endpoint: scheduler.endpoint,
    region: 'us-east-1',
    credentials,
    maxAttempts: 1,
  });
  running.push({ scheduler, client });
  return { scheduler, client, started, invoked, errors, failNext };
}

function oneTime(name: string, at: string, extra: Partial<CreateScheduleCommandInput> = {}) {
  return new CreateScheduleCommand({
    Name: name,
    ScheduleExpression: `at(${at})`,
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: { Arn: ECHO_ARN, RoleArn: ROLE, Input: JSON.stringify({ batchId: name }) },
    ...extra,
  });
}

async function until<T>(what: string, probe: () => T | undefined | false, timeoutMs = 5_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

describe('startScheduler (REST-JSON protocol, real SchedulerClient)', () => {
  it('fires a one-time schedule a second ahead: StartExecution with its Input, then deletes it', async () => {
    // Arrange
    const { client, started } = await localScheduler();
    const at = new Date(Date.now() + 1_200).toISOString().slice(0, 19);
    const input = JSON.stringify({ batchId: 'b1', scheduledFor: '<aws.scheduler.scheduled-time>' });

    // Act
    const { ScheduleArn } = await client.send(
      oneTime('start-batch-b1', at, {
        ActionAfterCompletion: 'DELETE',
        Target: { Arn: ECHO_ARN, RoleArn: ROLE, Input: input },
      }),
    );
    const call = await until('the schedule to fire', () => started[0]);

    // Assert
    expect(ScheduleArn).toBe('arn:aws:scheduler:us-east-1:000000000000:schedule/default/start-batch-b1');
    expect(JSON.parse(call.input)).toEqual({ batchId: 'b1', scheduledFor: `${at}Z` });
    const { executions } = await sfn.send(new ListExecutionsCommand({ stateMachineArn: ECHO_ARN }));
    const execution = await sfn.send(
      new DescribeExecutionCommand({ executionArn: executions?.[0]?.executionArn }),
    );
    expect(execution.input).toBe(call.input);
    await expect(client.send(new GetScheduleCommand({ Name: 'start-batch-b1' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('fires a one-time schedule whose time has passed at once', async () => {
    // Arrange
    const { client, started } = await localScheduler();

    // Act
    await client.send(oneTime('late', '2020-01-01T00:00:00'));
    await until('the late schedule to fire', () => started[0]);

    // Assert: ActionAfterCompletion NONE keeps it, and it never fires again
    expect(await client.send(new GetScheduleCommand({ Name: 'late' }))).toMatchObject({ State: 'ENABLED' });
    expect(started).toHaveLength(1);
  });

  it('fires on fireDue() when the clock reaches the time given in the schedule time zone', async () => {
    // Arrange: 09:00 in Bucharest (summer) is 06:00Z
    let clock = utc('2025-07-07T05:00:00Z');
    const { scheduler, client, started } = await localScheduler(() => clock);
    await client.send(oneTime('morning', '2025-07-07T09:00:00', { ScheduleExpressionTimezone: BUCHAREST }));

    // Act
    clock = utc('2025-07-07T05:59:59Z');
    const early = await scheduler.fireDue();
    clock = utc('2025-07-07T06:00:00Z');
    const due = await scheduler.fireDue();
    const again = await scheduler.fireDue();

    // Assert
    expect([early, due, again]).toEqual([0, 1, 0]);
    expect(started).toEqual([{ arn: ECHO_ARN, input: JSON.stringify({ batchId: 'morning' }) }]);
  });

  it('fires nothing for a schedule deleted before its time', async () => {
    // Arrange
    let clock = utc('2025-07-07T05:00:00Z');
    const { scheduler, client, started } = await localScheduler(() => clock);
    await client.send(oneTime('cancelled', '2025-07-07T06:00:00'));

    // Act
    await client.send(new DeleteScheduleCommand({ Name: 'cancelled' }));
    clock = utc('2025-07-08T00:00:00Z');
    const fired = await scheduler.fireDue();

    // Assert
    expect(fired).toBe(0);
    expect(started).toEqual([]);
  });

  it('answers ConflictException, ResourceNotFoundException and ValidationException', async () => {
    // Arrange
    const { client } = await localScheduler(() => utc('2025-07-07T05:00:00Z'));
    await client.send(oneTime('dup', '2025-07-08T00:00:00'));

    // Act + Assert
    await expect(client.send(oneTime('dup', '2025-07-09T00:00:00'))).rejects.toBeInstanceOf(
      ConflictException,
    );
    await expect(client.send(new GetScheduleCommand({ Name: 'absent' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(client.send(new DeleteScheduleCommand({ Name: 'absent' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
    await expect(
      client.send(
        new UpdateScheduleCommand({
          Name: 'absent',
          ScheduleExpression: 'rate(1 day)',
          FlexibleTimeWindow: { Mode: 'OFF' },
          Target: { Arn: ECHO_ARN, RoleArn: ROLE },
        }),
      ),
    ).rejects.toBeInstanceOf(ResourceNotFoundException);
    await expect(
      client.send(oneTime('bad-zone', '2025-07-08T00:00:00', { ScheduleExpressionTimezone: 'Mars/Olympus' })),
    ).rejects.toBeInstanceOf(ValidationException);
    await expect(
      client.send(oneTime('bad-cron', 'x', { ScheduleExpression: 'cron(0 9 * * * *)' })),
    ).rejects.toThrow(/Exactly one of day-of-month and day-of-week/);
    await expect(
      client.send(oneTime('in-group', '2025-07-08T00:00:00', { GroupName: 'batches' })),
    ).resolves.toMatchObject({ ScheduleArn: expect.stringContaining('schedule/batches/in-group') });
    await expect(client.send(new GetScheduleCommand({ Name: 'in-group' }))).rejects.toBeInstanceOf(
      ResourceNotFoundException,
    );
  });

  it('runs a cron schedule in Europe/Bucharest on weekdays at 09:00 local time', async () => {
    // Arrange: Friday 2025-07-04 15:00 local
    let clock = utc('2025-07-04T12:00:00Z');
    const { scheduler, client, started } = await localScheduler(() => clock);
    await client.send(
      new CreateScheduleCommand({
        Name: 'weekday-campaign',
        ScheduleExpression: 'cron(0 9 ? * MON-FRI *)',
        ScheduleExpressionTimezone: BUCHAREST,
        FlexibleTimeWindow: { Mode: 'FLEXIBLE', MaximumWindowInMinutes: 15 },
        Target: { Arn: ECHO_ARN, RoleArn: ROLE, Input: '{"at":"<aws.scheduler.scheduled-time>"}' },
      }),
    );

    // Act
    const fired: number[] = [];
    for (const at of [
      '2025-07-05T06:00:00Z',
      '2025-07-07T05:59:00Z',
      '2025-07-07T06:00:00Z',
      '2025-07-08T06:00:30Z',
    ]) {
      clock = utc(at);
      fired.push(await scheduler.fireDue());
    }

    // Assert: not on Saturday, not before 09:00, then Monday and Tuesday
    expect(fired).toEqual([0, 0, 1, 1]);
    expect(started.map((s) => JSON.parse(s.input).at)).toEqual([
      '2025-07-07T06:00:00Z',
      '2025-07-08T06:00:00Z',
    ]);
  });

  it('starts a rate schedule at once, then every period', async () => {
    // Arrange
    let clock = utc('2025-07-07T10:00:00Z');
    const { scheduler, client, started } = await localScheduler(() => clock);

    // Act: due at creation, so its own timer fires it (fireDue() may find it already fired)
    await client.send(
      new CreateScheduleCommand({
        Name: 'every-5',
        ScheduleExpression: 'rate(5 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: ECHO_ARN, RoleArn: ROLE },
      }),
    );
    await scheduler.fireDue();
    await until('the first firing', () => started.length === 1);
    clock += 4 * 60_000;
    const early = await scheduler.fireDue();
    clock += 60_000;
    const due = await scheduler.fireDue();

    // Assert
    expect([early, due]).toEqual([0, 1]);
    expect(started).toHaveLength(2);
  });

  it('gets, updates (full replacement), disables and lists schedules', async () => {
    // Arrange
    let clock = utc('2025-07-07T05:00:00Z');
    const { scheduler, client, started } = await localScheduler(() => clock);
    await client.send(
      oneTime('batch-a', '2025-07-07T06:00:00', { Description: 'first', StartDate: new Date(clock) }),
    );
    await client.send(oneTime('batch-b', '2025-07-07T06:00:00'));
    await client.send(oneTime('other', '2025-07-07T06:00:00'));

    // Act
    const before = await client.send(new GetScheduleCommand({ Name: 'batch-a' }));
    await client.send(
      new UpdateScheduleCommand({
        Name: 'batch-a',
        ScheduleExpression: 'at(2025-07-07T07:00:00)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: ECHO_ARN, RoleArn: ROLE, Input: '{"batchId":"batch-a","v":2}' },
      }),
    );
    await client.send(
      new UpdateScheduleCommand({
        Name: 'other',
        ScheduleExpression: 'at(2025-07-07T06:00:00)',
        State: 'DISABLED',
        FlexibleTimeWindow: { Mode: 'OFF' },
        Target: { Arn: ECHO_ARN, RoleArn: ROLE },
      }),
    );
    const after = await client.send(new GetScheduleCommand({ Name: 'batch-a' }));
    const listed = await client.send(new ListSchedulesCommand({ NamePrefix: 'batch-' }));
    const disabled = await client.send(new ListSchedulesCommand({ State: 'DISABLED' }));
    clock = utc('2025-07-07T06:30:00Z');
    const firstRound = await scheduler.fireDue();
    clock = utc('2025-07-07T07:00:00Z');
    const secondRound = await scheduler.fireDue();

    // Assert
    expect(before).toMatchObject({
      Name: 'batch-a',
      GroupName: 'default',
      ScheduleExpression: 'at(2025-07-07T06:00:00)',
      Description: 'first',
      State: 'ENABLED',
      ActionAfterCompletion: 'NONE',
      FlexibleTimeWindow: { Mode: 'OFF' },
      Target: { Arn: ECHO_ARN, RoleArn: ROLE },
    });
    expect(before.StartDate).toEqual(new Date(utc('2025-07-07T05:00:00Z')));
    expect(before.CreationDate).toEqual(new Date(utc('2025-07-07T05:00:00Z')));
    expect(after.Description).toBeUndefined();
    expect(after.ScheduleExpression).toBe('at(2025-07-07T07:00:00)');
    expect(listed.Schedules?.map((s) => s.Name)).toEqual(['batch-a', 'batch-b']);
    expect(listed.Schedules?.[0]).toMatchObject({ State: 'ENABLED', Target: { Arn: ECHO_ARN } });
    expect(disabled.Schedules?.map((s) => s.Name)).toEqual(['other']);
    expect([firstRound, secondRound]).toEqual([1, 1]);
    expect(started.map((s) => JSON.parse(s.input))).toEqual([
      { batchId: 'batch-b' },
      { batchId: 'batch-a', v: 2 },
    ]);
  });

  it('invokes a function target and the universal sfn:startExecution target with a Name', async () => {
    // Arrange
    let clock = utc('2025-07-07T05:00:00Z');
    const { scheduler, client, started, invoked } = await localScheduler(() => clock);
    await client.send(
      oneTime('lambda', '2025-07-07T06:00:00', {
        Target: {
          Arn: 'arn:aws:lambda:us-east-1:000000000000:function:get-account',
          RoleArn: ROLE,
          Input: '{"campaignId":"c1"}',
        },
      }),
    );
    await client.send(
      oneTime('universal', '2025-07-07T06:00:00', {
        Target: {
          Arn: 'arn:aws:scheduler:::aws-sdk:sfn:startExecution',
          RoleArn: ROLE,
          Input: JSON.stringify({ StateMachineArn: ECHO_ARN, Name: 'campaign-c1-run-1', Input: '{"c":1}' }),
        },
      }),
    );

    // Act
    clock = utc('2025-07-07T06:00:00Z');
    const fired = await scheduler.fireDue();

    // Assert
    expect(fired).toBe(2);
    expect(invoked).toEqual([{ fn: 'get-account', event: { campaignId: 'c1' } }]);
    expect(started).toEqual([{ arn: ECHO_ARN, input: '{"c":1}', name: 'campaign-c1-run-1' }]);
  });

  it('retries a failed delivery per the target RetryPolicy and reports the failure', async () => {
    // Arrange
    const { client, started, errors, failNext } = await localScheduler();
    failNext.count = 1;

    // Act
    await client.send(
      oneTime('flaky', '2020-01-01T00:00:00', {
        Target: { Arn: ECHO_ARN, RoleArn: ROLE, RetryPolicy: { MaximumRetryAttempts: 1 } },
      }),
    );
    await until('the retried delivery', () => started[0], 5_000);

    // Assert
    expect(errors).toHaveLength(1);
    expect(started).toHaveLength(1);
  });
});
