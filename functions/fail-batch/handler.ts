import { makeSettleDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { failBatch } from '#use-cases/batches/settle-batch';

const deps = makeSettleDeps();

/** Both workflows › Fail: the batch failed with a reason; what was not sent is refunded. */
export const handler = workflowTask(
  (input: { accountId: string; batchId: string; error?: { Error?: string; Cause?: string } }) =>
    failBatch(deps, input),
);
