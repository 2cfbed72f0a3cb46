import { makeAnalysisDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { summariseBatch } from '#use-cases/batches/analyse-batch';

const deps = makeAnalysisDeps();

/** analyse-batch › Summarise: the summary; the batch becomes ready. */
export const handler = workflowTask(
  (input: {
    accountId: string;
    batchId: string;
    parse: {
      chunks: { index: number }[];
      rows: number;
      invalid: number;
      duplicates: number;
      reasons: Record<string, number>;
    };
  }) => summariseBatch(deps, input),
);
