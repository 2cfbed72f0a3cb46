import {
  type CronExpression,
  CronSyntaxError,
  nextCronTime,
  parseCron,
  zonedTimeToUtc,
} from '#domain/schedule/cron';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './sqs-poller';

/** The local Scheduler's schedule expressions and when a schedule fires next (see scheduler.ts). */

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

export function scheduleArn(group: string, name: string): string {
  return `arn:aws:scheduler:${LOCAL_REGION}:${LOCAL_ACCOUNT_ID}:schedule/${group}/${name}`;
}

// biome-ignore lint/suspicious/noExplicitAny: request JSON
export type Json = any;

export interface Schedule {
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

export const key = (group: string, name: string) => `${group}/${name}`;
export const disabled = (s: Schedule) => s.request.State === 'DISABLED';

/** The next firing strictly after `after`, within StartDate/EndDate; `at()` ignores both (as AWS). */
export function nextFire(s: Schedule, after: number): number | undefined {
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
