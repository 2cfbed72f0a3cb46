import { makeContactTaskDeps } from '#adapters/contact-adapters';
import { workflowTask } from '#http/workflow-task';
import { purgeContactGroup } from '#use-cases/contacts/import-group';

const deps = makeContactTaskDeps();

/** purge-contact-group › Purge: the next contacts of a deleted group; the group item once none are left. */
export const handler = workflowTask((input: { accountId: string; groupId: string }) =>
  purgeContactGroup(deps, input),
);
