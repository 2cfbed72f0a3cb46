/**
 * The AWS cron (EventBridge Scheduler's 6-field `cron(min hour day-of-month month day-of-week year)`) and
 * wall-clock time in IANA time zones, with AWS's daylight-saving rules: one implementation for the API's
 * validation of recurring campaigns and the local Scheduler that fires them (local/scheduler.ts).
 * `Intl` only: the runtime's time zone data is what Scheduler's `ScheduleExpressionTimezone` accepts.
 */

const MINUTE = 60_000;
const DAY = 86_400_000;
const formatters = new Map<string, Intl.DateTimeFormat>();

/** Whether `timeZone` is an IANA zone this runtime knows (what ScheduleExpressionTimezone accepts). */
export function isTimeZone(timeZone: string): boolean {
  try {
    formatter(timeZone);
    return true;
  } catch {
    return false;
  }
}

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** The wall-clock time in `timeZone` at instant `utc`, as if it were a UTC instant (ms, seconds kept). */
export function wallClock(utc: number, timeZone: string): number {
  const parts: Record<string, number> = {};
  for (const { type, value } of formatter(timeZone).formatToParts(utc)) parts[type] = Number(value);
  const { year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0 } = parts;
  return Date.UTC(year, month - 1, day, hour, minute, second);
}

/**
 * The instant at which `timeZone`'s clocks show `wall` (a wall-clock time written as a UTC instant). A
 * repeated time (clocks going back) gives its first occurrence; a time that does not exist (clocks going
 * forward) gives `undefined` with `gap: 'skip'` (cron, as AWS) or the same time in the earlier offset, i.e.
 * shifted forward by the gap, with `gap: 'shift'` (`at()`).
 */
export function zonedTimeToUtc(
  wall: number,
  timeZone: string,
  gap: 'skip' | 'shift' = 'skip',
): number | undefined {
  const offsetBefore = wallClock(wall - DAY, timeZone) - (wall - DAY);
  const offsetAfter = wallClock(wall + DAY, timeZone) - (wall + DAY);
  const candidates = [wall - offsetBefore, wall - offsetAfter]
    .filter((utc) => wallClock(utc, timeZone) === wall)
    .sort((a, b) => a - b);
  if (candidates[0] !== undefined) return candidates[0];
  return gap === 'skip' ? undefined : wall - offsetBefore;
}

export interface CronExpression {
  readonly minutes: readonly number[];
  readonly hours: readonly number[];
  readonly months: ReadonlySet<number>;
  /** `undefined`: every year. */
  readonly years?: ReadonlySet<number>;
  /** Day-of-month or day-of-week rule (exactly one of them is `?`). */
  readonly day: (year: number, month: number, day: number) => boolean;
}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const WEEKDAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

export class CronSyntaxError extends Error {
  override name = 'CronSyntaxError';
}

/** Parses the inside of `cron(...)`: `minutes hours day-of-month month day-of-week year`. */
export function parseCron(fields: string): CronExpression {
  const parts = fields.trim().split(/\s+/);
  if (parts.length !== 6) throw new CronSyntaxError(`cron needs 6 fields, got ${parts.length}: ${fields}`);
  const [min = '', hour = '', dom = '', month = '', dow = '', year = ''] = parts;
  if ((dom === '?') === (dow === '?'))
    throw new CronSyntaxError('Exactly one of day-of-month and day-of-week must be ?');
  return {
    minutes: values(min, 0, 59),
    hours: values(hour, 0, 23),
    months: new Set(values(month, 1, 12, MONTHS)),
    ...(year === '*' ? {} : { years: new Set(values(year, 1970, 2199)) }),
    day: dom === '?' ? dayOfWeek(dow) : dayOfMonth(dom),
  };
}

/** A list of `*`, `n`, `a-b`, with an optional `/step`; names allowed where given (index + 1). */
function values(field: string, min: number, max: number, names?: readonly string[]): number[] {
  const result = new Set<number>();
  for (const item of field.split(',')) {
    const match = /^(\*|[^-/]+)(?:-([^-/]+))?(?:\/(\d+))?$/.exec(item);
    if (!match) throw new CronSyntaxError(`Invalid cron field item "${item}"`);
    const [, from = '', to, step] = match;
    const start = from === '*' ? min : number(from, min, max, names);
    const end = to !== undefined ? number(to, min, max, names) : from === '*' || step ? max : start;
    const by = step === undefined ? 1 : Number(step);
    if (by < 1 || end < start) throw new CronSyntaxError(`Invalid cron range "${item}"`);
    for (let v = start; v <= end; v += by) result.add(v);
  }
  return [...result].sort((a, b) => a - b);
}

function number(text: string, min: number, max: number, names?: readonly string[]): number {
  const named = names?.indexOf(text.toUpperCase()) ?? -1;
  const value = named >= 0 ? named + 1 : /^\d+$/.test(text) ? Number(text) : Number.NaN;
  if (!(value >= min && value <= max)) throw new CronSyntaxError(`"${text}" is not in ${min}-${max}`);
  return value;
}

const daysIn = (year: number, month: number) => new Date(Date.UTC(year, month, 0)).getUTCDate();
/** 1 = Sunday … 7 = Saturday, as the AWS cron counts. */
const weekday = (year: number, month: number, day: number) =>
  new Date(Date.UTC(year, month - 1, day)).getUTCDay() + 1;

function dayOfMonth(field: string): CronExpression['day'] {
  if (field === 'L') return (y, m, d) => d === daysIn(y, m);
  if (field === 'LW') return (y, m, d) => d === nearestWeekday(y, m, daysIn(y, m));
  const w = /^(\d+)W$/.exec(field);
  if (w) {
    const target = number(w[1] ?? '', 1, 31);
    return (y, m, d) => target <= daysIn(y, m) && d === nearestWeekday(y, m, target);
  }
  const days = new Set(values(field, 1, 31));
  return (_y, _m, d) => days.has(d);
}

/** The weekday nearest to `day` within its month (Quartz's `W`). */
function nearestWeekday(year: number, month: number, day: number): number {
  const dow = weekday(year, month, day);
  if (dow === 7) return day === 1 ? 3 : day - 1;
  if (dow === 1) return day === daysIn(year, month) ? day - 2 : day + 1;
  return day;
}

function dayOfWeek(field: string): CronExpression['day'] {
  const last = /^(\w+)L$/.exec(field);
  if (last) {
    const target = number(last[1] ?? '', 1, 7, WEEKDAYS);
    return (y, m, d) => weekday(y, m, d) === target && d + 7 > daysIn(y, m);
  }
  const nth = /^(\w+)#([1-5])$/.exec(field);
  if (nth) {
    const target = number(nth[1] ?? '', 1, 7, WEEKDAYS);
    const k = Number(nth[2]);
    return (y, m, d) => weekday(y, m, d) === target && Math.ceil(d / 7) === k;
  }
  const days = new Set(field === 'L' ? [7] : values(field, 1, 7, WEEKDAYS));
  return (y, m, d) => days.has(weekday(y, m, d));
}

/** The first time after `after` (epoch ms) that the cron matches in `timeZone`, or `undefined` if none. */
export function nextCronTime(
  cron: string | CronExpression,
  timeZone: string,
  after: number,
): number | undefined {
  const c = typeof cron === 'string' ? parseCron(cron) : cron;
  const afterWall = wallClock(after, timeZone);
  // Clock changes move a wall time by at most a couple of hours: earlier candidates cannot be after `after`.
  const earliestWall = afterWall - 3 * 60 * MINUTE;
  const start = new Date(afterWall);
  let [y, m, d] = [start.getUTCFullYear(), start.getUTCMonth() + 1, start.getUTCDate()];
  const nextMonth = () => {
    [y, m, d] = m === 12 ? [y + 1, 1, 1] : [y, m + 1, 1];
  };
  while (y <= 2199) {
    if (c.years && !c.years.has(y)) [y, m, d] = [y + 1, 1, 1];
    else if (!c.months.has(m) || d > daysIn(y, m)) nextMonth();
    else {
      if (c.day(y, m, d)) {
        for (const hour of c.hours) {
          for (const minute of c.minutes) {
            const wall = Date.UTC(y, m - 1, d, hour, minute);
            if (wall < earliestWall) continue;
            const utc = zonedTimeToUtc(wall, timeZone, 'skip');
            if (utc !== undefined && utc > after) return utc;
          }
        }
      }
      d++;
    }
  }
  return undefined;
}
