import { createHash } from 'node:crypto';
import { occurrenceName } from '#domain/batch/recurring-campaign';
import { DomainError } from '#domain/errors';
import type { AccountRepository } from '#ports/account-repository';
import type { Upload } from '#ports/batch-repository';
import type { RecurringCampaignRepository } from '#ports/recurring-campaigns';
import type { Caller } from '../accounts';
import { activeAccount, NO_SCHEDULER, withUpload } from './file-drop';
import { type BatchDeps, createBatch } from './manage-batches';

export interface OccurrenceDeps extends Omit<BatchDeps, 'scheduler' | 'ids'> {
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly campaigns: Pick<RecurringCampaignRepository, 'get' | 'update'>;
}

export type OccurrenceOutcome =
  | { readonly outcome: 'ignored'; readonly reason: string }
  | { readonly outcome: 'created' | 'duplicate'; readonly batchId: string }
  | { readonly outcome: 'rejected'; readonly code: string; readonly reason: string };

/**
 * The batch (and upload) id of one occurrence: derived from the campaign and the firing time Scheduler
 * gives (`<aws.scheduler.scheduled-time>`), so a firing delivered twice finds the batch its first delivery
 * made, and each firing time makes at most one batch.
 */
export function occurrenceBatchId(campaignId: string, scheduledAt: string): string {
  const at = new Date(scheduledAt).toISOString();
  return `rc-${createHash('sha256').update(`${campaignId}\n${at}`).digest('hex').slice(0, 26)}`;
}

/**
 * One firing of a recurring campaign's schedule.
 * 1. A deleted or paused campaign makes nothing; a redelivered firing finds its batch and changes nothing
 *    (an `analysing` one has its analysis started again, idempotent by name).
 * 2. The account must be active; then an upload pointing at the campaign's file is recorded and the batch
 *    created as POST /v1/batches does (settings checked again: a sender may have been withdrawn), named
 *    after the campaign and the firing time in its time zone, with `autoStart`: the analysis starts it
 *    when ready, or fails it with the reason (not enough credit...).
 * 3. The campaign's `lastRun` records the batch, or why none was made. Refusals are returned, not thrown:
 *    a retry cannot fix them; infrastructure errors throw, for Scheduler's retry.
 */
export async function runRecurringCampaign(
  deps: OccurrenceDeps,
  input: { accountId: string; campaignId: string; scheduledAt: string },
): Promise<OccurrenceOutcome> {
  const { accountId, campaignId, scheduledAt } = input;
  const campaign = await deps.campaigns.get(accountId, campaignId);
  if (!campaign) return { outcome: 'ignored', reason: 'The campaign was deleted' };
  if (campaign.state !== 'active') return { outcome: 'ignored', reason: 'The campaign is paused' };
  const batchId = occurrenceBatchId(campaignId, scheduledAt);
  const existing = await deps.batches.get(accountId, batchId);
  if (existing) {
    if (existing.status === 'analysing') {
      await deps.workflows.start('analyseBatch', `analyse-${batchId}`, { accountId, batchId });
    }
    return { outcome: 'duplicate', batchId };
  }

  const at = new Date(scheduledAt);
  const refuse = async (code: string, reason: string): Promise<OccurrenceOutcome> => {
    await deps.campaigns.update(accountId, campaignId, {
      lastRun: { scheduledAt: at.toISOString(), error: { code, reason } },
    });
    return { outcome: 'rejected', code, reason };
  };
  const account = await activeAccount(deps, accountId);
  if (!account.ok) return refuse(account.code, account.reason);

  let upload: Upload = {
    id: batchId,
    accountId,
    fileName: campaign.source.fileName,
    contentType: campaign.source.contentType,
    key: campaign.source.key,
    createdAt: deps.clock.now().toISOString(),
  };
  try {
    await deps.batches.createUpload(upload);
  } catch (error) {
    // Conditional create: an upload already there is the one a previous delivery recorded.
    const recorded = await deps.batches.getUpload(accountId, batchId);
    if (!recorded) throw error;
    upload = recorded;
  }
  const caller: Caller = { accountId, keyId: 'recurring-campaign', account: account.value };
  try {
    await createBatch(
      {
        ...deps,
        batches: withUpload(deps.batches, upload),
        scheduler: NO_SCHEDULER,
        // createBatch asks for exactly one id: the batch's, derived from the firing.
        ids: { newId: () => batchId, newToken: () => batchId },
      },
      caller,
      {
        uploadId: batchId,
        name: occurrenceName(campaign.name, at, campaign.timezone),
        mapping: campaign.mapping,
        options: campaign.options,
        ...(campaign.templateId === undefined ? {} : { templateId: campaign.templateId }),
        autoStart: true,
      },
    );
  } catch (error) {
    if (error instanceof DomainError) return refuse(error.code, error.message);
    throw error;
  }
  await deps.campaigns.update(accountId, campaignId, { lastRun: { scheduledAt: at.toISOString(), batchId } });
  return { outcome: 'created', batchId };
}
