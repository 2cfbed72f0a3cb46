/**
 * Local Amazon EventBridge Scheduler: a `node:http` server speaking the Scheduler REST-JSON protocol, so
 * handlers use the real `@aws-sdk/client-scheduler` (`AWS_ENDPOINT_URL_SCHEDULER`), and a timer that fires
 * due schedules at their targets (one timer, set to the next due time; no polling).
 *
 * For `local/stack.ts` (not wired yet):
 *
 * ```ts
 * const sfnClient = new SFNClient({ endpoint: sfn.endpoint });
 * const scheduler = await startScheduler({
 *   targets: { startExecution: sfnStartExecution(sfnClient), invokeFunction: (fn, event) => … },
 *   onError: (error, schedule) => log(`schedule ${schedule}: ${String(error)}`),
 * });
 * stops.push(() => scheduler.stop());
 * process.env.AWS_ENDPOINT_URL_SCHEDULER = scheduler.endpoint;
 * ```
 *
 * Operations: CreateSchedule, GetSchedule, UpdateSchedule (a full replacement, as in AWS), DeleteSchedule,
 * ListSchedules. Errors carry `x-amzn-errortype` and `{ Message }`, so the SDK raises ConflictException,
 * ResourceNotFoundException and ValidationException. Expressions: `at(yyyy-mm-ddThh:mm:ss)`,
 * `rate(n minutes|hours|days)` and the 6-field AWS `cron(min hour day-of-month month day-of-week year)`
 * (`* ? , - /`, names, `L`, `W`, `LW`, `nL`, `n#k`), evaluated in `ScheduleExpressionTimezone` with AWS's
 * daylight-saving rules (a time that does not exist is skipped; a repeated hour fires once). Targets: a
 * state machine ARN (StartExecution with `Input`), the universal target
 * `arn:aws:scheduler:::aws-sdk:sfn:startExecution`, or a function ARN (`invokeFunction`). The context
 * attributes `<aws.scheduler.scheduled-time>`, `…schedule-arn>`, `…execution-id>`, `…attempt-number>` in
 * `Input` are replaced as AWS does.
 *
 * Differences from AWS:
 * - A one-time schedule whose time has passed fires at once. AWS documents nothing for this case (public
 *   reports disagree on whether CreateSchedule refuses it); do not rely on it: start the workflow directly
 *   when the start time is not in the future.
 * - Fires at the exact time (AWS: within that minute), and at the start of a FLEXIBLE window (AWS: any time
 *   in it). Any GroupName is accepted (no schedule-group API). DeadLetterConfig and KmsKeyArn are stored,
 *   not used: a delivery that still fails after its RetryPolicy is reported to `onError`.
 * - Occurrences missed while the process was paused are not replayed: the next one after "now" follows.
 * - In-memory: schedules do not survive `stop()`.
 */
import { randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import {
  type CronExpression,
  CronSyntaxError,
  isTimeZone,
  nextCronTime,
  parseCron,
  zonedTimeToUtc,
} from '#domain/schedule/cron';
import { ApiError } from './aws-api-error';
import { listen } from './listen';
import { fail, serve } from './scheduler-api';
import { disabled, key, nextFire, type Schedule } from './scheduler-expressions';
import { invokeTarget, type SchedulerTargets } from './scheduler-targets';

export { parseScheduleExpression, type ScheduleExpression, scheduleArn } from './scheduler-expressions';
export { type SchedulerTargets, sfnStartExecution } from './scheduler-targets';
// The cron and time zone rules are the domain's (the API validates recurring campaigns with them).
export { type CronExpression, CronSyntaxError, isTimeZone, nextCronTime, parseCron, zonedTimeToUtc };

export interface SchedulerOptions {
  /** @default 0 (a free port) */
  port?: number;
  /** @default '127.0.0.1' */
  host?: string;
  targets: SchedulerTargets;
  /** The clock (tests move it and call `fireDue()`). @default Date.now */
  now?: () => number;
  /** A delivery failed (it is retried per the target's RetryPolicy). */
  onError?: (error: unknown, schedule: string) => void;
}

export interface LocalScheduler {
  /** `http://127.0.0.1:<port>`: `AWS_ENDPOINT_URL_SCHEDULER`, or `new SchedulerClient({ endpoint })`. */
  readonly endpoint: string;
  /** Fires every schedule due by `now()` and resolves once each first delivery attempt ended: the count. */
  fireDue(): Promise<number>;
  stop(): Promise<void>;
}

const MAX_TIMER_MS = 2_147_483_647;

export async function startScheduler(options: SchedulerOptions): Promise<LocalScheduler> {
  const now = options.now ?? Date.now;
  const schedules = new Map<string, Schedule>();
  const retries = new Set<NodeJS.Timeout>();
  let timer: NodeJS.Timeout | undefined;
  let stopped = false;

  const arm = () => {
    clearTimeout(timer);
    if (stopped) return;
    const next = Math.min(...[...schedules.values()].map((s) => s.next ?? Number.POSITIVE_INFINITY));
    if (next === Number.POSITIVE_INFINITY) return;
    timer = setTimeout(() => void fireDue(), Math.min(Math.max(next - now(), 0), MAX_TIMER_MS));
    timer.unref();
  };

  const deliver = async (
    s: Schedule,
    scheduledTime: number,
    attempt: number,
    firedAt = now(),
  ): Promise<void> => {
    const target = s.request.Target;
    const executionId = randomUUID();
    const input = String(target.Input ?? '{}')
      .replaceAll('<aws.scheduler.schedule-arn>', s.arn)
      .replaceAll(
        '<aws.scheduler.scheduled-time>',
        new Date(scheduledTime).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      )
      .replaceAll('<aws.scheduler.execution-id>', executionId)
      .replaceAll('<aws.scheduler.attempt-number>', String(attempt));
    try {
      await invokeTarget(options.targets, String(target.Arn), input);
    } catch (error) {
      options.onError?.(error, `${s.group}/${s.name}`);
      const policy = target.RetryPolicy ?? {};
      const maxAttempts = (policy.MaximumRetryAttempts ?? 185) + 1;
      const maxAgeMs = (policy.MaximumEventAgeInSeconds ?? 86_400) * 1000;
      const delay = Math.min(1000 * 2 ** (attempt - 1), 60_000);
      // As AWS: client errors (4xx: a missing target, a name already used…) are not retried.
      const clientError = (error as { $fault?: string } | undefined)?.$fault === 'client';
      if (stopped || clientError || attempt >= maxAttempts || now() + delay - firedAt > maxAgeMs) return;
      const retry = setTimeout(() => {
        retries.delete(retry);
        void deliver(s, scheduledTime, attempt + 1, firedAt);
      }, delay);
      retries.add(retry);
    }
  };

  const fireDue = async (): Promise<number> => {
    const t = now();
    const due = [...schedules.values()]
      .filter((s) => s.next !== undefined && s.next <= t)
      .sort((a, b) => (a.next ?? 0) - (b.next ?? 0));
    const deliveries = due.map((s) => {
      const scheduledTime = s.next ?? t;
      s.next = s.expression.kind === 'at' ? undefined : nextFire(s, Math.max(scheduledTime, t));
      if (s.next === undefined && s.request.ActionAfterCompletion === 'DELETE' && !disabled(s))
        schedules.delete(key(s.group, s.name));
      return deliver(s, scheduledTime, 1);
    });
    arm();
    await Promise.all(deliveries);
    return due.length;
  };

  const api = { schedules, now, targets: options.targets, changed: arm };
  const server = createServer((req, res) => {
    serve(req, res, api).catch((error: unknown) => {
      console.error('[scheduler] unexpected failure', error);
      if (!res.headersSent) fail(res, new ApiError('InternalServerException', String(error), 500));
      else res.destroy();
    });
  });
  const endpoint = await listen(server, options.port ?? 0, options.host ?? '127.0.0.1');
  return {
    endpoint,
    fireDue,
    stop: async () => {
      stopped = true;
      clearTimeout(timer);
      for (const retry of retries) clearTimeout(retry);
      await new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}
