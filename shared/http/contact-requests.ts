import { z } from 'zod';
import { CONTACT_LIMITS } from '#domain/contacts/contact';
import type { CreateGroupCommand } from '#use-cases/contacts/groups';
import { Cursor, emptyAsAbsent, pageLimit } from './route-helpers';

const Column = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,3}$/, 'a column letter as Excel shows it, e.g. "A"');

const Name = z.string().trim().min(1).max(200);

/**
 * POST /v1/contact-groups: an empty group (`name` only), or one from an upload (`POST /v1/uploads`, the
 * batch wizard's preview shows the sheets and columns) with the mapping of its columns.
 */
export const CreateGroupRequest = z
  .object({
    name: Name,
    uploadId: z.string().min(1).optional(),
    sheet: z.union([z.string().min(1).max(31), z.number().int().min(0)]).optional(),
    firstRow: z.number().int().min(1).max(1_048_576).optional(),
    phoneColumn: Column.optional(),
    firstNameColumn: Column.optional(),
    lastNameColumn: Column.optional(),
    otherColumns: z.enum(['keep', 'skip']).default('keep'),
  })
  .refine((b) => b.uploadId === undefined || (b.firstRow !== undefined && b.phoneColumn !== undefined), {
    message: 'A group from an upload needs firstRow and phoneColumn',
    path: ['phoneColumn'],
  });
export type CreateGroupRequest = z.infer<typeof CreateGroupRequest>;

export function createGroupCommand(request: CreateGroupRequest): CreateGroupCommand {
  const { name, uploadId, sheet, firstRow, phoneColumn, firstNameColumn, lastNameColumn } = request;
  if (uploadId === undefined || firstRow === undefined || phoneColumn === undefined) return { name };
  return {
    name,
    upload: {
      uploadId,
      mapping: {
        firstRow,
        phoneColumn,
        otherColumns: request.otherColumns,
        ...(sheet === undefined ? {} : { sheet }),
        ...(firstNameColumn === undefined ? {} : { firstNameColumn }),
        ...(lastNameColumn === undefined ? {} : { lastNameColumn }),
      },
    },
  };
}

export const RenameGroupRequest = z.object({ name: Name });

const PersonName = z.string().trim().max(CONTACT_LIMITS.nameLength);
const Fields = z
  .record(
    z.string().trim().min(1).max(CONTACT_LIMITS.fieldNameLength),
    z.string().max(CONTACT_LIMITS.fieldValueLength),
  )
  .refine((f) => Object.keys(f).length <= CONTACT_LIMITS.fields, `at most ${CONTACT_LIMITS.fields} fields`);

export const ContactRequest = z.object({
  phone: z.string().min(3).max(32),
  firstName: PersonName.optional(),
  lastName: PersonName.optional(),
  fields: Fields.optional(),
});

export const UpdateContactRequest = ContactRequest.partial();

const Limit = pageLimit(100, 50);

export const ContactQuery = z.object({
  limit: Limit,
  cursor: Cursor,
  phone: z.string().min(1).max(32).optional(),
  name: z.string().min(1).max(100).optional(),
});

export const ImportRowsQuery = z.object({
  status: z.enum(['invalid', 'duplicate']).default('invalid'),
  limit: Limit,
  cursor: emptyAsAbsent(
    z
      .string()
      .regex(/^\d+\.\d+$/, 'Invalid cursor')
      .optional(),
  ),
});

export const GroupPageQuery = z.object({ limit: Limit, cursor: Cursor });
