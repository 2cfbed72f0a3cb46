import type { ContactGroup, ContactMapping } from '#domain/contacts/contact';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import type { Page } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import type { WorkflowStarter } from '#ports/workflows';
import type { Caller } from '../accounts';
import { MAX_UPLOAD_BYTES } from '../batches/uploads';

export interface GroupDeps {
  readonly contactGroups: ContactGroupRepository;
  /** Uploads are the batch wizard's (`POST /v1/uploads`): a group's file arrives the same way. */
  readonly batches: Pick<BatchRepository, 'getUpload'>;
  readonly files: Pick<ObjectStore, 'size'>;
  readonly workflows: WorkflowStarter;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

export interface CreateGroupCommand {
  readonly name: string;
  /** Absent: an empty group, filled contact by contact. */
  readonly upload?: { readonly uploadId: string; readonly mapping: ContactMapping };
}

const COLUMN = /^[A-Z]{1,3}$/;

/**
 * Creates a contact group, empty or from an uploaded file.
 * 1. The upload must be the caller's and its file present (and not too big); the columns must be letters.
 * 2. Store the group (`ready` when empty, `importing` from a file).
 * 3. From a file: start the import workflow (named after the group: a retry starts nothing twice). It
 *    parses the file into chunks, writes the contacts and stores what it indexed; the group is `ready`.
 */
export async function createGroup(deps: GroupDeps, caller: Caller, command: CreateGroupCommand) {
  const { upload } = command;
  if (upload) {
    const stored = await deps.batches.getUpload(caller.accountId, upload.uploadId);
    if (!stored) throw new NotFound('Upload not found');
    const size = await deps.files.size(stored.key);
    if (size === undefined) throw new ValidationFailed('The file has not been uploaded yet');
    if (size > MAX_UPLOAD_BYTES)
      throw new ValidationFailed(`The file is larger than ${MAX_UPLOAD_BYTES} bytes`);
    const { phoneColumn, firstNameColumn, lastNameColumn } = upload.mapping;
    for (const column of [phoneColumn, firstNameColumn, lastNameColumn]) {
      if (column !== undefined && !COLUMN.test(column))
        throw new ValidationFailed('Columns are letters as Excel shows them, e.g. "A"');
    }
  }
  const group: ContactGroup = {
    id: deps.ids.newId(),
    accountId: caller.accountId,
    name: command.name,
    status: upload ? 'importing' : 'ready',
    contacts: 0,
    fieldNames: [],
    ...(upload ? { uploadId: upload.uploadId, mapping: upload.mapping } : {}),
    createdAt: deps.clock.now().toISOString(),
  };
  await deps.contactGroups.createGroup(group);
  if (upload) {
    await deps.workflows.start('importContacts', `import-${group.id}`, {
      accountId: group.accountId,
      groupId: group.id,
    });
  }
  return group;
}

/** A group of the caller's (a group being deleted is already gone for the caller). */
export async function getGroup(
  deps: Pick<GroupDeps, 'contactGroups'>,
  caller: Pick<Caller, 'accountId'>,
  groupId: string,
): Promise<ContactGroup> {
  const group = await deps.contactGroups.getGroup(caller.accountId, groupId);
  if (!group || group.status === 'deleting') throw new NotFound('Contact group not found');
  return group;
}

export function listGroups(
  deps: Pick<GroupDeps, 'contactGroups'>,
  caller: Pick<Caller, 'accountId'>,
  page: { limit: number; cursor?: string },
): Promise<Page<ContactGroup>> {
  return deps.contactGroups.listGroups(caller.accountId, page);
}

export async function renameGroup(
  deps: Pick<GroupDeps, 'contactGroups' | 'clock'>,
  caller: Pick<Caller, 'accountId'>,
  groupId: string,
  name: string,
): Promise<ContactGroup> {
  await getGroup(deps, caller, groupId);
  const renamed = await deps.contactGroups.updateGroup(
    caller.accountId,
    groupId,
    { name, updatedAt: deps.clock.now().toISOString() },
    ['importing', 'ready', 'failed'],
  );
  if (!renamed) throw new NotFound('Contact group not found');
  return renamed;
}

/**
 * Deletes a group without waiting for its contacts: the group becomes `deleting` (gone for the caller at
 * once) and the purge workflow deletes its contacts in the background, then the group itself. A group
 * still importing cannot be deleted (409): the import would write contacts behind the purge.
 */
export async function deleteGroup(
  deps: Pick<GroupDeps, 'contactGroups' | 'workflows'>,
  caller: Pick<Caller, 'accountId'>,
  groupId: string,
): Promise<ContactGroup> {
  const group = await getGroup(deps, caller, groupId);
  if (group.status === 'importing')
    throw new Conflict('GROUP_IMPORTING', 'The group is still importing; delete it once it is ready');
  const deleting = await deps.contactGroups.updateGroup(caller.accountId, groupId, { status: 'deleting' }, [
    'ready',
    'failed',
  ]);
  if (!deleting) throw new Conflict('GROUP_IMPORTING', 'The group changed meanwhile; try again');
  await deps.workflows.start('purgeContactGroup', `purge-${groupId}`, {
    accountId: caller.accountId,
    groupId,
  });
  return deleting;
}
