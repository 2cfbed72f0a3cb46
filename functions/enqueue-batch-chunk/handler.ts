import { makeSendDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { enqueueBatchChunk } from '#use-cases/batches/send-batch';

const deps = makeSendDeps(true);

/** send-batch › SendChunks › Enqueue: one chunk's messages, paced at the batch's speed. */
export const handler = workflowTask(
  (input: { accountId: string; batchId: string; chunk: { index: number; key: string } }) =>
    enqueueBatchChunk(deps, input),
);
