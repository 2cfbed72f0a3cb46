import type { RecurringCampaign } from '#domain/batch/recurring-campaign';
import type { Page } from './account-repository';

export type RecurringCampaignChanges = Partial<
  Pick<RecurringCampaign, 'state' | 'cron' | 'timezone' | 'updatedAt' | 'lastRun'>
>;

/** Recurring campaign definitions, in the account's partition. */
export interface RecurringCampaignRepository {
  /** Conditional create (a retried create with the same id fails). */
  create(campaign: RecurringCampaign): Promise<void>;
  get(accountId: string, id: string): Promise<RecurringCampaign | undefined>;
  list(accountId: string, page: { limit: number; cursor?: string }): Promise<Page<RecurringCampaign>>;
  /** Undefined when there is no such campaign (deleted meanwhile). */
  update(
    accountId: string,
    id: string,
    changes: RecurringCampaignChanges,
  ): Promise<RecurringCampaign | undefined>;
  /** False when there was none. */
  delete(accountId: string, id: string): Promise<boolean>;
}

/** The recurring schedule that fires a campaign (EventBridge Scheduler, `cron(...)` in a time zone). */
export interface RecurringScheduler {
  /** Creates or replaces the schedule `name` (idempotent). */
  put(
    name: string,
    schedule: { cron: string; timezone: string; enabled: boolean; input: Record<string, unknown> },
  ): Promise<void>;
  /** False when it did not exist. */
  delete(name: string): Promise<boolean>;
}
