import { makeSendDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { checkBatchProgress } from '#use-cases/batches/send-batch';

const deps = makeSendDeps(false);

/** send-batch › CheckProgress: whether every message is final. */
export const handler = workflowTask((input: { accountId: string; batchId: string }) =>
  checkBatchProgress(deps, input),
);
