import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { isTimeZone } from '#domain/schedule/cron';
import { ApiError, invalid } from './aws-api-error';
import {
  type Json,
  key,
  nextFire,
  parseScheduleExpression,
  type Schedule,
  type ScheduleExpression,
  scheduleArn,
} from './scheduler-expressions';
import { type SchedulerTargets, validateTarget } from './scheduler-targets';

/** The Scheduler REST-JSON operations of the local Scheduler (see scheduler.ts). */

const NAME = /^[0-9a-zA-Z\-_.]{1,64}$/;

export interface Api {
  readonly schedules: Map<string, Schedule>;
  readonly now: () => number;
  readonly targets: SchedulerTargets;
  changed(): void;
}

export async function serve(req: IncomingMessage, res: ServerResponse, api: Api): Promise<void> {
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

export function fail(res: ServerResponse, error: ApiError): void {
  const json = JSON.stringify({ Message: error.message });
  res.writeHead(error.status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(json),
    'x-amzn-errortype': error.type,
    'x-amzn-requestid': randomUUID(),
  });
  res.end(json);
}
