import { makeBlocklistImportTaskDeps } from '#adapters/blocklist-import-adapters';
import { workflowTask } from '#http/workflow-task';
import { failBlocklistImport, finishBlocklistImport } from '#use-cases/blocklist/blocklist-import-workflow';

const deps = makeBlocklistImportTaskDeps();

type FailInput = Parameters<typeof failBlocklistImport>[1];

/** import-blocklist › Finish (completed with the report) and › Fail (input has `error`). */
export const handler = workflowTask((input: { accountId: string; importId: string } | FailInput) =>
  'error' in input ? failBlocklistImport(deps, input) : finishBlocklistImport(deps, input),
);
