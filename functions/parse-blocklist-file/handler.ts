import { makeBlocklistImportFileTaskDeps } from '#adapters/blocklist-import-adapters';
import { workflowTask } from '#http/workflow-task';
import { parseBlocklistFile } from '#use-cases/blocklist/blocklist-import-workflow';

const deps = makeBlocklistImportFileTaskDeps();

/** import-blocklist › ParseFile: the import's file becomes chunks of distinct valid numbers in S3. */
export const handler = workflowTask((input: { accountId: string; importId: string }) =>
  parseBlocklistFile(deps, input),
);
