import { makeSettleDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { settleBatch } from '#use-cases/batches/settle-batch';

const deps = makeSettleDeps();

/** send-batch › Settle: completed (or stopped), and what was never sent is refunded once. */
export const handler = workflowTask((input: { accountId: string; batchId: string }) =>
  settleBatch(deps, input),
);
