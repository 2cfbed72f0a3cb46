import { CronSyntaxError, isTimeZone, nextCronTime, parseCron, wallClock } from '#domain/schedule/cron';
import type { BatchMapping, BatchOptions } from './batch';

/**
 * A saved campaign definition that re-runs on a cron, in a time zone (MISSION: scheduled campaigns): each
 * firing makes a new batch from the same file and settings, analysed and started without confirmation.
 */
export interface RecurringCampaign {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** The 6 AWS cron fields (`min hour day-of-month month day-of-week year`), without `cron(...)`. */
  readonly cron: string;
  /** IANA time zone the cron is read in (the account's unless given). */
  readonly timezone: string;
  readonly state: 'active' | 'paused';
  /** The file every occurrence reads: a copy of the upload under a key the lifecycle rules keep. */
  readonly source: { readonly key: string; readonly fileName: string; readonly contentType: string };
  /** The batch settings as given (sender and monitoring number resolved again at every occurrence). */
  readonly mapping: BatchMapping;
  readonly options: Omit<BatchOptions, 'from' | 'startAt'> & { readonly from?: string };
  readonly templateId?: string;
  readonly createdAt: string;
  readonly updatedAt: string;
  /** The latest firing: the batch it made, or why it made none. */
  readonly lastRun?: {
    readonly scheduledAt: string;
    readonly batchId?: string;
    readonly error?: { readonly code: string; readonly reason: string };
  };
}

export type CronCheck = { ok: true; cron: string } | { ok: false; reason: string };

/**
 * A cron as a client writes it, `cron(0 9 ? * MON-FRI *)` or just its 6 fields, checked as EventBridge
 * Scheduler checks it (and it must fire at least once more after `now` in `timezone`).
 */
export function checkCron(input: string, timezone: string, now: Date): CronCheck {
  const fields = /^cron\((.*)\)$/.exec(input.trim())?.[1] ?? input.trim();
  try {
    const cron = parseCron(fields);
    if (nextCronTime(cron, timezone, now.getTime()) === undefined) {
      return { ok: false, reason: 'The cron expression never fires after now' };
    }
    return { ok: true, cron: fields.trim().split(/\s+/).join(' ') };
  } catch (error) {
    if (error instanceof CronSyntaxError) return { ok: false, reason: error.message };
    throw error;
  }
}

export { isTimeZone };

/** When the campaign fires next (undefined when paused or never again). */
export function nextRunAt(campaign: Pick<RecurringCampaign, 'cron' | 'timezone' | 'state'>, now: Date) {
  if (campaign.state !== 'active') return undefined;
  const next = nextCronTime(campaign.cron, campaign.timezone, now.getTime());
  return next === undefined ? undefined : new Date(next);
}

/** An occurrence's batch name: the campaign's, then the firing time in the campaign's time zone. */
export function occurrenceName(name: string, scheduledAt: Date, timezone: string): string {
  const local = new Date(wallClock(scheduledAt.getTime(), timezone)).toISOString();
  return `${name} ${local.slice(0, 10)} ${local.slice(11, 16)}`;
}
