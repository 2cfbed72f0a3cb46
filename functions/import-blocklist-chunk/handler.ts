import { makeBlocklistImportFileTaskDeps } from '#adapters/blocklist-import-adapters';
import { workflowTask } from '#http/workflow-task';
import { importBlocklistChunk } from '#use-cases/blocklist/blocklist-import-workflow';

const deps = makeBlocklistImportFileTaskDeps();

/** import-blocklist › ImportChunks: one chunk's numbers on the account's blocklist (idempotent). */
export const handler = workflowTask(
  (input: { accountId: string; importId: string; chunk: { index: number; key: string } }) =>
    importBlocklistChunk(deps, input),
);
