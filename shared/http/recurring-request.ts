import { z } from 'zod';
import { nextRunAt, type RecurringCampaign } from '#domain/batch/recurring-campaign';
import type { CreateRecurringCommand } from '#use-cases/batches/recurring-campaigns';
import { BatchSettings, createBatchCommand } from './batch-request';

const Cron = z.string().trim().min(1).max(256);
const TimeZone = z.string().trim().min(1).max(64);

/**
 * POST /v1/recurring-campaigns: the settings of POST /v1/batches (same fields, same rules) except
 * `startAt` (the cron decides when), plus `cron` and `timezone`. Strict, so a `startAt` is an error rather
 * than silently dropped.
 */
export const CreateRecurringCampaignRequest = z
  .strictObject({
    ...BatchSettings.omit({ startAt: true }).shape,
    // Each occurrence's batch is named "<name> YYYY-MM-DD HH:mm", within the 200 characters of a batch name.
    name: z.string().trim().min(1).max(180),
    uploadId: z.string().min(1),
    templateId: z.string().min(1).max(64).optional(),
    cron: Cron,
    timezone: TimeZone.optional(),
  })
  .refine(
    (b) => [b.messageColumn, b.text, b.templateId].filter((source) => source !== undefined).length === 1,
    { message: 'Give one of messageColumn, text or templateId', path: ['messageColumn'] },
  );
export type CreateRecurringCampaignRequest = z.infer<typeof CreateRecurringCampaignRequest>;

/** PATCH /v1/recurring-campaigns/{id}: pause or resume, or a new cron or time zone. */
export const UpdateRecurringCampaignRequest = z
  .strictObject({ paused: z.boolean().optional(), cron: Cron.optional(), timezone: TimeZone.optional() })
  .refine((b) => Object.keys(b).length > 0, { message: 'Give paused, cron or timezone' });

export function createRecurringCommand(request: CreateRecurringCampaignRequest): CreateRecurringCommand {
  const { uploadId, cron, timezone, templateId } = request;
  const { mapping, options } = createBatchCommand(uploadId, request);
  return {
    uploadId,
    name: request.name,
    cron,
    mapping,
    options,
    ...(timezone === undefined ? {} : { timezone }),
    ...(templateId === undefined ? {} : { templateId }),
  };
}

export function recurringCampaignView(campaign: RecurringCampaign, now: Date) {
  const next = nextRunAt(campaign, now);
  return {
    id: campaign.id,
    name: campaign.name,
    cron: campaign.cron,
    timezone: campaign.timezone,
    state: campaign.state,
    ...(next ? { nextRunAt: next.toISOString() } : {}),
    fileName: campaign.source.fileName,
    mapping: campaign.mapping,
    options: campaign.options,
    ...(campaign.templateId ? { templateId: campaign.templateId } : {}),
    ...(campaign.lastRun ? { lastRun: campaign.lastRun } : {}),
    createdAt: campaign.createdAt,
    updatedAt: campaign.updatedAt,
  };
}
