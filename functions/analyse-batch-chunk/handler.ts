import { makeAnalysisDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { analyseBatchChunk } from '#use-cases/batches/analyse-batch';

const deps = makeAnalysisDeps();

/** analyse-batch › AnalyseChunks: blocklists, rendering, parts and price for one chunk. */
export const handler = workflowTask(
  (input: { accountId: string; batchId: string; chunk: { index: number; key: string } }) =>
    analyseBatchChunk(deps, input),
);
