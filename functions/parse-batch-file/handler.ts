import { makeAnalysisDeps } from '#adapters/workflow-deps';
import { workflowTask } from '#http/workflow-task';
import { parseBatchFile } from '#use-cases/batches/parse-batch-file';

const deps = makeAnalysisDeps();

/** analyse-batch › ParseFile: the file becomes chunks of rows in S3. */
export const handler = workflowTask((input: { accountId: string; batchId: string }) =>
  parseBatchFile(deps, input),
);
