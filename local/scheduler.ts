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
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { type SFNClient, StartExecutionCommand } from '@aws-sdk/client-sfn';
import {
  type CronExpression,
  CronSyntaxError,
  isTimeZone,
  nextCronTime,
  parseCron,
  zonedTimeToUtc,
} from '#domain/schedule/cron';
import { FUNCTIONS, type FunctionName } from '#topology/functions';
import { listen } from './listen';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './sqs-poller';

// The cron and time zone rules are the domain's (the API validates recurring campaigns with them).
export { type CronExpression, CronSyntaxError, isTimeZone, nextCronTime, parseCron, zonedTimeToUtc };

// ---------------------------------------------------------------------------------------------------------
// Schedule expressions
// ---------------------------------------------------------------------------------------------------------

const MINUTE = 60_000;
const DAY = 86_400_000;

export type ScheduleExpression =
  | { readonly kind: 'at'; readonly wall: number }
  | { readonly kind: 'rate'; readonly periodMs: number }
  | { readonly kind: 'cron'; readonly cron: CronExpression };

/** Parses `at(...)`, `rate(...)` or `cron(...)`; throws CronSyntaxError with the reason. */
export function parseScheduleExpression(expression: string): ScheduleExpression {
  const at = /^at\((\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})\)$/.exec(expression);
  if (at) {
    const [y, mo, d, h, mi, s] = at.slice(1).map(Number) as [number, number, number, number, number, number];
    const wall = Date.UTC(y, mo - 1, d, h, mi, s);
    const check = new Date(wall);
    if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59)
      throw new CronSyntaxError(`Invalid date in ${expression}`);
    return { kind: 'at', wall };
  }
  const rate = /^rate\((\d+) (minutes?|hours?|days?)\)$/.exec(expression);
  if (rate) {
    const value = Number(rate[1]);
    const unit = rate[2]?.replace(/s$/, '') as 'minute' | 'hour' | 'day';
    if (value < 1) throw new CronSyntaxError('A rate must be a positive integer');
    return { kind: 'rate', periodMs: value * { minute: MINUTE, hour: 60 * MINUTE, day: DAY }[unit] };
  }
  const cron = /^cron\((.+)\)$/.exec(expression);
  if (cron) return { kind: 'cron', cron: parseCron(cron[1] ?? '') };
  throw new CronSyntaxError(`Invalid Schedule Expression ${expression}`);
}

// ---------------------------------------------------------------------------------------------------------
// The service
// ---------------------------------------------------------------------------------------------------------

export interface SchedulerTargets {
  /** A state machine target: StartExecution with the schedule's Input (and a Name, universal target only). */
  startExecution(stateMachineArn: string, input: string, name?: string): Promise<void>;
  /** A Lambda target (Scheduler invokes asynchronously); without it, function targets are refused. */
  invokeFunction?(fn: FunctionName, event: unknown): Promise<void>;
}

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

/** StartExecution through a (local) SFNClient, for `targets.startExecution`. */
export function sfnStartExecution(client: SFNClient): SchedulerTargets['startExecution'] {
  return async (stateMachineArn, input, name) => {
    await client.send(new StartExecutionCommand({ stateMachineArn, input, ...(name ? { name } : {}) }));
  };
}

export function scheduleArn(group: string, name: string): string {
  return `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/${group}/${name}`;
}

// biome-ignore lint/suspicious/noExplicitAny: request JSON
type Json = any;

interface Schedule {
  readonly name: string;
  readonly group: string;
  readonly arn: string;
  readonly creationDate: number;
  lastModificationDate: number;
  request: Json;
  expression: ScheduleExpression;
  timeZone: string;
  clientToken?: string;
  /** When it fires next; `undefined`: never again (fired, disabled, or past its EndDate). */
  next?: number;
}

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;
const STATE_MACHINE = /^arn:aws:states:[^:]+:\d{12}:stateMachine:[^:]+$/;
const FUNCTION = /^arn:aws:lambda:[^:]+:\d{12}:function:([^:]+)(:[^:]+)?$/;
const SFN_UNIVERSAL = 'arn:aws:scheduler:::aws-sdk:sfn:startExecution';
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

async function invokeTarget(targets: SchedulerTargets, arn: string, input: string): Promise<void> {
  if (STATE_MACHINE.test(arn)) return targets.startExecution(arn, input);
  if (arn === SFN_UNIVERSAL) {
    const request = JSON.parse(input) as { StateMachineArn: string; Input?: string; Name?: string };
    return targets.startExecution(request.StateMachineArn, request.Input ?? '{}', request.Name);
  }
  const fn = FUNCTION.exec(arn)?.[1] as FunctionName;
  if (!targets.invokeFunction) throw new Error(`No invokeFunction target for ${arn}`);
  return targets.invokeFunction(fn, JSON.parse(input));
}

const key = (group: string, name: string) => `${group}/${name}`;
const disabled = (s: Schedule) => s.request.State === 'DISABLED';

/** The next firing strictly after `after`, within StartDate/EndDate; `at()` ignores both (as AWS). */
function nextFire(s: Schedule, after: number): number | undefined {
  if (disabled(s)) return undefined;
  const { expression: e, request } = s;
  if (e.kind === 'at') return zonedTimeToUtc(e.wall, s.timeZone, 'shift');
  const startDate = request.StartDate === undefined ? undefined : Number(request.StartDate) * 1000;
  let next: number | undefined;
  if (e.kind === 'rate') {
    // Without a StartDate a rate schedule starts at once (AWS), then every period.
    const anchor = startDate ?? s.lastModificationDate;
    next = after < anchor ? anchor : anchor + (Math.floor((after - anchor) / e.periodMs) + 1) * e.periodMs;
  } else {
    next = nextCronTime(e.cron, s.timeZone, Math.max(after, (startDate ?? 0) - 1));
  }
  const endDate = request.EndDate === undefined ? undefined : Number(request.EndDate) * 1000;
  return next !== undefined && endDate !== undefined && next > endDate ? undefined : next;
}

interface Api {
  readonly schedules: Map<string, Schedule>;
  readonly now: () => number;
  readonly targets: SchedulerTargets;
  changed(): void;
}

class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}
const invalid = (message: string) => new ApiError('ValidationException', message);

async function serve(req: IncomingMessage, res: ServerResponse, api: Api): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  try {
    const url = new URL(req.url ?? '/', 'http://local');
    const text = Buffer.concat(chunks).toString('utf8');
    let body: Json = {};
    try {
      body = text ? JSON.parse(text) : {};
    } catch {
      throw invalid('Request body is not JSON');
    }
    const match = /^\/schedules(?:\/([^/]+))?$/.exec(url.pathname);
    const name = match?.[1] === undefined ? undefined : decodeURIComponent(match[1]);
    const method = req.method ?? 'GET';
    if (match && name === undefined && method === 'GET')
      return send(res, listSchedules(api, url.searchParams));
    if (!match || name === undefined)
      throw new ApiError('UnknownOperationException', `No route ${method} ${url.pathname}`, 404);
    if (!NAME.test(name)) throw invalid(`Invalid schedule name ${name}`);
    const group =
      method === 'GET' || method === 'DELETE'
        ? (url.searchParams.get('groupName') ?? 'default')
        : (body.GroupName ?? 'default');
    if (!NAME.test(group)) throw invalid(`Invalid group name ${group}`);
    const existing = api.schedules.get(key(group, name));
    const notFound = () => new ApiError('ResourceNotFoundException', `Schedule ${name} does not exist.`, 404);
    switch (method) {
      case 'POST': {
        if (existing) {
          if (body.ClientToken && existing.clientToken === body.ClientToken)
            return send(res, { ScheduleArn: existing.arn });
          throw new ApiError('ConflictException', `Schedule ${name} already exists.`, 409);
        }
        const schedule = build(api, name, group, body);
        api.schedules.set(key(group, name), schedule);
        api.changed();
        return send(res, { ScheduleArn: schedule.arn });
      }
      case 'PUT': {
        if (!existing) throw notFound();
        const schedule = build(api, name, group, body, existing.creationDate);
        api.schedules.set(key(group, name), schedule);
        api.changed();
        return send(res, { ScheduleArn: schedule.arn });
      }
      case 'GET':
        if (!existing) throw notFound();
        return send(res, describe(existing));
      case 'DELETE':
        if (!existing) throw notFound();
        api.schedules.delete(key(group, name));
        api.changed();
        return send(res, {});
      default:
        throw new ApiError('UnknownOperationException', `No route ${method} ${url.pathname}`, 404);
    }
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    fail(res, error);
  }
}

/** Validates a Create/UpdateSchedule request as AWS does and computes the first firing. */
function build(api: Api, name: string, group: string, body: Json, creationDate?: number): Schedule {
  if (typeof body.ScheduleExpression !== 'string') throw invalid('ScheduleExpression is required');
  let expression: ScheduleExpression;
  try {
    expression = parseScheduleExpression(body.ScheduleExpression);
  } catch (error) {
    throw invalid(`Invalid Schedule Expression ${body.ScheduleExpression}: ${(error as Error).message}`);
  }
  const timeZone = body.ScheduleExpressionTimezone ?? 'UTC';
  if (!isTimeZone(timeZone)) throw invalid(`Invalid ScheduleExpressionTimezone ${timeZone}`);
  const window = body.FlexibleTimeWindow;
  if (!window || !['OFF', 'FLEXIBLE'].includes(window.Mode))
    throw invalid('FlexibleTimeWindow.Mode must be OFF or FLEXIBLE');
  const minutes = window.MaximumWindowInMinutes;
  if (window.Mode === 'FLEXIBLE' && !(Number.isInteger(minutes) && minutes >= 1 && minutes <= 1440))
    throw invalid('FlexibleTimeWindow.MaximumWindowInMinutes must be 1-1440 when Mode is FLEXIBLE');
  if (body.State !== undefined && !['ENABLED', 'DISABLED'].includes(body.State))
    throw invalid(`Invalid State ${body.State}`);
  if (body.ActionAfterCompletion !== undefined && !['NONE', 'DELETE'].includes(body.ActionAfterCompletion))
    throw invalid(`Invalid ActionAfterCompletion ${body.ActionAfterCompletion}`);
  if (body.StartDate !== undefined && body.EndDate !== undefined && body.EndDate <= body.StartDate)
    throw invalid('EndDate must be after StartDate');
  validateTarget(api.targets, body.Target);
  const now = api.now();
  const schedule: Schedule = {
    name,
    group,
    arn: scheduleArn(group, name),
    creationDate: creationDate ?? now,
    lastModificationDate: now,
    request: { ...body, GroupName: group },
    expression,
    timeZone,
    ...(body.ClientToken ? { clientToken: String(body.ClientToken) } : {}),
  };
  schedule.next = nextFire(schedule, expression.kind === 'rate' ? now - 1 : now);
  return schedule;
}

function validateTarget(targets: SchedulerTargets, target: Json): void {
  if (!target?.Arn || !target.RoleArn) throw invalid('Target.Arn and Target.RoleArn are required');
  const arn = String(target.Arn);
  let input: unknown;
  try {
    input = JSON.parse(String(target.Input ?? '{}'));
  } catch {
    throw invalid('Target.Input must be well-formed JSON for Step Functions and Lambda targets');
  }
  const fn = FUNCTION.exec(arn)?.[1];
  if (arn === SFN_UNIVERSAL && typeof (input as Json)?.StateMachineArn !== 'string')
    throw invalid('sfn:startExecution needs StateMachineArn in Target.Input');
  const supported =
    STATE_MACHINE.test(arn) ||
    arn === SFN_UNIVERSAL ||
    (fn !== undefined && fn in FUNCTIONS && targets.invokeFunction !== undefined);
  if (!supported) throw invalid(`Target ${arn} is not supported by the local scheduler`);
}

const seconds = (ms: number) => ms / 1000;

function describe(s: Schedule): Json {
  const r = s.request;
  return {
    Arn: s.arn,
    GroupName: s.group,
    Name: s.name,
    ScheduleExpression: r.ScheduleExpression,
    ScheduleExpressionTimezone: r.ScheduleExpressionTimezone,
    StartDate: r.StartDate,
    EndDate: r.EndDate,
    Description: r.Description,
    State: r.State ?? 'ENABLED',
    CreationDate: seconds(s.creationDate),
    LastModificationDate: seconds(s.lastModificationDate),
    KmsKeyArn: r.KmsKeyArn,
    Target: r.Target,
    FlexibleTimeWindow: r.FlexibleTimeWindow,
    ActionAfterCompletion: r.ActionAfterCompletion ?? 'NONE',
  };
}

function listSchedules(api: Api, query: URLSearchParams): Json {
  const group = query.get('ScheduleGroup');
  const prefix = query.get('NamePrefix') ?? '';
  const state = query.get('State');
  const size = Number(query.get('MaxResults') ?? 100);
  if (!Number.isInteger(size) || size < 1 || size > 100) throw invalid('MaxResults must be 1-100');
  const start = Number(Buffer.from(query.get('NextToken') ?? '', 'base64url').toString() || 0);
  const all = [...api.schedules.values()]
    .filter((s) => (!group || s.group === group) && s.name.startsWith(prefix))
    .filter((s) => !state || (s.request.State ?? 'ENABLED') === state)
    .sort((a, b) => key(a.group, a.name).localeCompare(key(b.group, b.name)));
  const page = all.slice(start, start + size);
  return {
    Schedules: page.map((s) => ({
      Arn: s.arn,
      Name: s.name,
      GroupName: s.group,
      State: s.request.State ?? 'ENABLED',
      CreationDate: seconds(s.creationDate),
      LastModificationDate: seconds(s.lastModificationDate),
      Target: { Arn: s.request.Target.Arn },
    })),
    ...(start + size < all.length
      ? { NextToken: Buffer.from(String(start + size)).toString('base64url') }
      : {}),
  };
}

function send(res: ServerResponse, body: unknown): void {
  const json = JSON.stringify(body);
  res.writeHead(200, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-amzn-requestid': randomUUID(),
  });
  res.end(json);
}

function fail(res: ServerResponse, error: ApiError): void {
  const json = JSON.stringify({ Message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-amzn-errortype': error.type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(json);
}
