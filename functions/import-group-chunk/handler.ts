import { makeContactFileTaskDeps } from '#adapters/contact-adapters';
import { workflowTask } from '#http/workflow-task';
import { importGroupChunk } from '#use-cases/contacts/import-group';

const deps = makeContactFileTaskDeps();

/** import-contacts › ImportChunks: one chunk's contacts written (BatchWriteItem). */
export const handler = workflowTask(
  (input: { accountId: string; groupId: string; chunk: { index: number; key: string } }) =>
    importGroupChunk(deps, input),
);
