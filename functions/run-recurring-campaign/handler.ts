import { makeFileStore } from '#adapters/batch-adapters';
import { makeDynamoRecurringCampaignRepository } from '#adapters/dynamodb/recurring-campaign-repository';
import { makeSfnWorkflowStarter } from '#adapters/sfn/workflow-starter';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv, WorkflowEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { workflowTask } from '#http/workflow-task';
import { logger } from '#observability/logger';
import { systemClock } from '#ports/clock';
import { type OccurrenceDeps, runRecurringCampaign } from '#use-cases/batches/run-recurring-campaign';

const workflowEnv = loadEnv(WorkflowEnv);
const platformEnv = loadEnv(PlatformEnv);
const table = makeTableAdapters();
const deps: OccurrenceDeps = {
  accounts: table.accounts,
  batches: table.batches,
  campaigns: makeDynamoRecurringCampaignRepository({
    client: table.client,
    tableName: loadEnv(TableEnv).TABLE_NAME,
  }),
  files: makeFileStore(),
  workflows: makeSfnWorkflowStarter({
    arns: workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN
      ? { analyseBatch: workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN }
      : {},
  }),
  clock: systemClock,
  templates: table.templates,
  ...(platformEnv.PLATFORM_DEFAULT_SENDER ? { platformSender: platformEnv.PLATFORM_DEFAULT_SENDER } : {}),
};

/**
 * EventBridge Scheduler target of every recurring campaign schedule: one firing → one batch (or a
 * recorded refusal). Input `{ accountId, campaignId, scheduledAt }`, `scheduledAt` being Scheduler's
 * `<aws.scheduler.scheduled-time>`.
 */
export const handler = workflowTask(
  async (input: { accountId: string; campaignId: string; scheduledAt: string }) => {
    const result = await runRecurringCampaign(deps, input);
    if (result.outcome === 'rejected')
      logger.warn('Recurring campaign occurrence refused', { ...input, ...result });
    else logger.info('Recurring campaign occurrence', { ...input, ...result });
    return result;
  },
);
