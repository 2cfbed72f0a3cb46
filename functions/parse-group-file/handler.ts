import { makeContactFileTaskDeps } from '#adapters/contact-adapters';
import { workflowTask } from '#http/workflow-task';
import { parseGroupFile } from '#use-cases/contacts/import-group';

const deps = makeContactFileTaskDeps();

/** import-contacts › ParseFile: the group's file becomes chunks of contact rows in S3. */
export const handler = workflowTask((input: { accountId: string; groupId: string }) =>
  parseGroupFile(deps, input),
);
