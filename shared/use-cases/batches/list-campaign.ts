import { type Batch, EMPTY_PROGRESS } from '#domain/batch/batch';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { Caller } from '../accounts';
import { getTemplate } from '../templates/templates';
import { type BatchDeps, type CreateBatchCommand, resolveBatchOptions } from './manage-batches';

export interface ListCampaignCommand {
  readonly name: string;
  readonly groupIds: readonly string[];
  /** One text; `#field` placeholders name contact fields (docs/contacts.md)... */
  readonly text?: string;
  /** ...or a saved template's (the caller's or its parent's). */
  readonly templateId?: string;
  readonly options: CreateBatchCommand['options'];
}

/**
 * A list campaign: a batch whose recipients are the contacts of one or more groups (each number once).
 * 1. Every group must be the caller's (404 otherwise, as for any foreign id) and `ready` (409).
 * 2. Sender and monitoring number as for any batch.
 * 3. Store the batch as `analysing` and start the same analysis workflow as a file's: its parse step reads
 *    the groups instead of a file; summary, /rows, start, stop and results are the batch's.
 */
export async function createListCampaign(
  deps: BatchDeps & { readonly contactGroups: Pick<ContactGroupRepository, 'getGroup'> },
  caller: Caller,
  command: ListCampaignCommand,
): Promise<Batch> {
  const ids = [...new Set(command.groupIds)];
  for (const id of ids) {
    const group = await deps.contactGroups.getGroup(caller.accountId, id);
    if (!group || group.status === 'deleting') throw new NotFound(`Contact group ${id} not found`);
    if (group.status !== 'ready')
      throw new Conflict('GROUP_NOT_READY', `Contact group ${id} is ${group.status}`);
  }
  if (ids.length === 0) throw new ValidationFailed('Give at least one group');
  const text = await campaignText(deps, caller, command);
  const options = resolveBatchOptions(deps, caller, command.options);
  const batch: Batch = {
    id: deps.ids.newId(),
    accountId: caller.accountId,
    name: command.name,
    status: 'analysing',
    groups: { ids, text },
    options,
    progress: EMPTY_PROGRESS,
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.batches.create(batch);
  await deps.workflows.start('analyseBatch', `analyse-${batch.id}`, {
    accountId: batch.accountId,
    batchId: batch.id,
  });
  return batch;
}

async function campaignText(
  deps: Pick<BatchDeps, 'templates'>,
  caller: Caller,
  command: ListCampaignCommand,
) {
  if (command.templateId === undefined) {
    if (command.text === undefined) throw new ValidationFailed('Give either text or templateId');
    return command.text;
  }
  if (!deps.templates) throw new ValidationFailed('templateId is not available here');
  return (await getTemplate({ templates: deps.templates }, caller, command.templateId)).text;
}
