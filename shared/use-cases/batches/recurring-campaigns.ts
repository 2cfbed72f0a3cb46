import type { BatchMapping } from '#domain/batch/batch';
import { checkCron, isTimeZone, type RecurringCampaign } from '#domain/batch/recurring-campaign';
import { NotFound, ValidationFailed } from '#domain/errors';
import type { Page } from '#ports/account-repository';
import type {
  RecurringCampaignChanges,
  RecurringCampaignRepository,
  RecurringScheduler,
} from '#ports/recurring-campaigns';
import { objectKeys } from '#topology/workflows';
import type { Caller } from '../accounts';
import { type BatchDeps, type CreateBatchCommand, checkBatchSettings } from './manage-batches';
import { MAX_UPLOAD_BYTES, UPLOAD_TYPES } from './uploads';

export interface RecurringDeps
  extends Pick<BatchDeps, 'batches' | 'files' | 'ids' | 'clock' | 'templates' | 'platformSender'> {
  readonly campaigns: RecurringCampaignRepository;
  readonly schedules: RecurringScheduler;
}

export interface CreateRecurringCommand {
  readonly uploadId: string;
  readonly name: string;
  readonly cron: string;
  /** Default: the account's time zone. */
  readonly timezone?: string;
  readonly mapping: BatchMapping;
  readonly options: Omit<CreateBatchCommand['options'], 'startAt'>;
  readonly templateId?: string;
}

/** One schedule per campaign, named after it; its input names the campaign, never its settings. */
export const recurringScheduleName = (campaignId: string) => `recurring-${campaignId}`;
const scheduleOf = (c: RecurringCampaign) => ({
  cron: c.cron,
  timezone: c.timezone,
  enabled: c.state === 'active',
  input: { accountId: c.accountId, campaignId: c.id },
});

function checkTiming(cron: string, timezone: string, now: Date): string {
  if (!isTimeZone(timezone)) throw new ValidationFailed(`Unknown time zone "${timezone}" (an IANA name)`);
  const checked = checkCron(cron, timezone, now);
  if (!checked.ok) throw new ValidationFailed(`Invalid cron expression: ${checked.reason}`);
  return checked.cron;
}

/**
 * Saves a campaign definition that re-runs on a cron (docs/workflows.md, recurring campaigns).
 * 1. The cron (AWS's 6 fields) and the time zone (default the account's) must be valid and fire again.
 * 2. The upload must be the caller's, its file present; the settings pass the checks of POST /v1/batches.
 * 3. The file is copied under `recurring/` (kept while the campaign exists; uploads expire).
 * 4. The definition is stored, then its recurring schedule created (or the definition removed again).
 */
export async function createRecurringCampaign(
  deps: RecurringDeps,
  caller: Caller,
  command: CreateRecurringCommand,
): Promise<RecurringCampaign> {
  const now = deps.clock.now();
  const timezone = command.timezone ?? caller.account.timezone;
  const cron = checkTiming(command.cron, timezone, now);
  const upload = await deps.batches.getUpload(caller.accountId, command.uploadId);
  if (!upload) throw new NotFound('Upload not found');
  const size = await deps.files.size(upload.key);
  if (size === undefined) throw new ValidationFailed('The file has not been uploaded yet');
  if (size > MAX_UPLOAD_BYTES)
    throw new ValidationFailed(`The file is larger than ${MAX_UPLOAD_BYTES} bytes`);
  await checkBatchSettings(deps, caller, command);

  const id = deps.ids.newId();
  const extension = UPLOAD_TYPES[upload.contentType.toLowerCase()] ?? 'csv';
  const source = {
    key: objectKeys.recurringSource(caller.accountId, id, extension),
    fileName: upload.fileName,
    contentType: upload.contentType,
  };
  await deps.files.copy(upload.key, source.key);
  const campaign: RecurringCampaign = {
    id,
    accountId: caller.accountId,
    name: command.name,
    cron,
    timezone,
    state: 'active',
    source,
    mapping: command.mapping,
    options: command.options,
    ...(command.templateId === undefined ? {} : { templateId: command.templateId }),
    createdAt: now.toISOString(),
    updatedAt: now.toISOString(),
  };
  await deps.campaigns.create(campaign);
  try {
    await deps.schedules.put(recurringScheduleName(id), scheduleOf(campaign));
  } catch (error) {
    await deps.campaigns.delete(caller.accountId, id);
    throw error;
  }
  return campaign;
}

export async function getRecurringCampaign(
  deps: Pick<RecurringDeps, 'campaigns'>,
  caller: Caller,
  id: string,
): Promise<RecurringCampaign> {
  const campaign = await deps.campaigns.get(caller.accountId, id);
  if (!campaign) throw new NotFound('Recurring campaign not found');
  return campaign;
}

export function listRecurringCampaigns(
  deps: Pick<RecurringDeps, 'campaigns'>,
  caller: Caller,
  page: { limit: number; cursor?: string },
): Promise<Page<RecurringCampaign>> {
  return deps.campaigns.list(caller.accountId, page);
}

/** Pauses or resumes the recurrence, or changes its cron or time zone: the schedule is replaced to match. */
export async function updateRecurringCampaign(
  deps: RecurringDeps,
  caller: Caller,
  id: string,
  change: { paused?: boolean; cron?: string; timezone?: string },
): Promise<RecurringCampaign> {
  const campaign = await getRecurringCampaign(deps, caller, id);
  const now = deps.clock.now();
  const timezone = change.timezone ?? campaign.timezone;
  const changes: RecurringCampaignChanges = {
    cron: checkTiming(change.cron ?? campaign.cron, timezone, now),
    timezone,
    ...(change.paused === undefined ? {} : { state: change.paused ? 'paused' : 'active' }),
    updatedAt: now.toISOString(),
  };
  await deps.schedules.put(recurringScheduleName(id), scheduleOf({ ...campaign, ...changes }));
  const updated = await deps.campaigns.update(caller.accountId, id, changes);
  if (!updated) throw new NotFound('Recurring campaign not found');
  return updated;
}

/**
 * Deletes the definition and its schedule: no occurrence fires after this. Batches already made stay (a
 * running one can be stopped as any batch).
 */
export async function deleteRecurringCampaign(
  deps: RecurringDeps,
  caller: Caller,
  id: string,
): Promise<void> {
  const campaign = await getRecurringCampaign(deps, caller, id);
  await deps.schedules.delete(recurringScheduleName(id));
  // The kept copy of the file holds phone numbers and has no expiry rule: it goes with the definition.
  // Deleted before the definition, so a failure leaves a definition the caller can delete again.
  await deps.files.delete(campaign.source.key);
  await deps.campaigns.delete(caller.accountId, id);
}
