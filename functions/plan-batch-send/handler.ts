import { makeSendDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { planBatchSend } from '#use-cases/batches/send-batch';

const deps = makeSendDeps(false);

/** send-batch › Plan: the batch is running; its ready chunks in order. */
export const handler = workflowTask((input: { accountId: string; batchId: string }) =>
  planBatchSend(deps, input),
);
