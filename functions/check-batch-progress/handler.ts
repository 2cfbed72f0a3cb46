import { makeSendDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { checkBatchProgress } from '#use-cases/batches/send-batch';

const deps = makeSendDeps(true);

/** send-batch › CheckProgress: whether every message is final (after a resume: enqueue the rest again). */
export const handler = workflowTask((input: { accountId: string; batchId: string }) =>
  checkBatchProgress(deps, input),
);
