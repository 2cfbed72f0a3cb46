import { makeContactTaskDeps } from '#adapters/contact-adapters';
import { workflowTask } from '#http/workflow-task';
import { failGroupImport, finishGroupImport } from '#use-cases/contacts/import-group';

const deps = makeContactTaskDeps();

type FinishInput = Parameters<typeof finishGroupImport>[1];
type FailInput = Parameters<typeof failGroupImport>[1];

/** import-contacts › Finish (the group is ready with its import summary) and › Fail (input has `error`). */
export const handler = workflowTask((input: FinishInput | (FailInput & { error: object })) =>
  'error' in input ? failGroupImport(deps, input) : finishGroupImport(deps, input as FinishInput),
);
