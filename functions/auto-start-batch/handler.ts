import { cryptoIds } from '#adapters/crypto/ids';
import { makeEventBridgeBatchScheduler } from '#adapters/scheduler/batch-scheduler';
import { makeSfnWorkflowStarter } from '#adapters/sfn/workflow-starter';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, SchedulerEnv, WorkflowEnv } from '#config/env';
import { workflowTask } from '#http/workflow-task';
import { systemClock } from '#ports/clock';
import { type AutoStartDeps, autoStartBatch } from '#use-cases/batches/auto-start';

const workflowEnv = loadEnv(WorkflowEnv);
const schedulerEnv = loadEnv(SchedulerEnv);
const table = makeTableAdapters();
const deps: AutoStartDeps = {
  batches: table.batches,
  accounts: table.accounts,
  workflows: makeSfnWorkflowStarter({
    arns: workflowEnv.SEND_BATCH_WORKFLOW_ARN ? { sendBatch: workflowEnv.SEND_BATCH_WORKFLOW_ARN } : {},
  }),
  scheduler: makeEventBridgeBatchScheduler({
    group: schedulerEnv.SCHEDULER_GROUP,
    roleArn: schedulerEnv.SCHEDULER_ROLE_ARN,
    sendWorkflowArn: workflowEnv.SEND_BATCH_WORKFLOW_ARN ?? '',
  }),
  ids: cryptoIds,
  clock: systemClock,
};

/** analyse-batch › AutoStart: a ready batch that asked for it starts (or fails with the reason). */
export const handler = workflowTask((input: { accountId: string; batchId: string }) =>
  autoStartBatch(deps, input),
);
