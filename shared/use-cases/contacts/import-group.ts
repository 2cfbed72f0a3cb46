import type {
  Contact,
  ContactGroup,
  ContactMapping,
  ContactRow,
  ImportSummary,
} from '#domain/contacts/contact';
import { CONTACT_LIMITS } from '#domain/contacts/contact';
import { makePhoneNumberNormaliser } from '#domain/phone/phone-number';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { ObjectStore } from '#ports/object-store';
import type { OpenSpreadsheet, SheetRow } from '#ports/spreadsheet';
import { objectKeys } from '#topology/workflows';
import {
  ChunkWriter,
  cellText,
  columnLetters,
  columnNumber,
  forEachDataRow,
  readChunkRows,
} from '../files/sheet-chunks';

export interface ImportDeps {
  readonly contactGroups: ContactGroupRepository;
  readonly batches: Pick<BatchRepository, 'getUpload'>;
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly files: ObjectStore;
  readonly openSpreadsheet: OpenSpreadsheet;
  readonly clock: Clock;
}

type GroupInput = { accountId: string; groupId: string };

/** Thrown for a file the group cannot be made from; the workflow's Fail step records it on the group. */
export class GroupFileRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'GroupFileRejected';
  }
}

async function mustGetGroup(deps: Pick<ImportDeps, 'contactGroups'>, input: GroupInput) {
  const group = await deps.contactGroups.getGroup(input.accountId, input.groupId);
  if (!group) throw new GroupFileRejected('GROUP_NOT_FOUND', 'The group no longer exists');
  return group;
}

/**
 * import-contacts › ParseFile: the file becomes chunks of contact rows in S3, with the machinery the batch
 * analysis uses (same reader, same chunk writer).
 * 1. Read the chosen sheet from `firstRow`; the row above names the custom fields.
 * 2. Per row: normalise the number (the account's country, mobile only), drop numbers seen before in the
 *    file, keep first/last name and (when asked) the other non-empty cells as custom fields.
 * 3. Answer the chunks, the counts and the custom field names.
 */
export async function parseGroupFile(deps: ImportDeps, input: GroupInput) {
  const group = await mustGetGroup(deps, input);
  const [upload, account] = await Promise.all([
    group.uploadId ? deps.batches.getUpload(group.accountId, group.uploadId) : undefined,
    deps.accounts.get(group.accountId),
  ]);
  const { mapping } = group;
  if (!upload || !account || !mapping)
    throw new GroupFileRejected('UPLOAD_NOT_FOUND', 'The upload no longer exists');
  const writer = new ChunkWriter<ContactRow>(deps.files, (index) =>
    objectKeys.groupChunk(group.accountId, group.id, index),
  );
  const fieldNames = new Set<string>();
  const normalise = makePhoneNumberNormaliser({ defaultCountry: account.country, requireMobile: true });
  await forEachDataRow(
    deps,
    {
      key: upload.key,
      firstRow: mapping.firstRow,
      ...(mapping.sheet === undefined ? {} : { sheet: mapping.sheet }),
    },
    (headers) => {
      const toRow = contactRowReader(mapping, headers, normalise);
      return (row) => {
        const parsed = toRow(row);
        for (const name of Object.keys(parsed.contact?.fields ?? {})) fieldNames.add(name);
        return writer.add(parsed);
      };
    },
  );
  await writer.flush();
  if (writer.rows === 0) throw new GroupFileRejected('EMPTY', 'No data rows from the first data row on');
  return { ...writer.result(), fields: [...fieldNames] };
}

function contactRowReader(
  mapping: ContactMapping,
  headers: readonly string[],
  normalise: ReturnType<typeof makePhoneNumberNormaliser>,
) {
  const phone = columnNumber(mapping.phoneColumn);
  const first = mapping.firstNameColumn === undefined ? undefined : columnNumber(mapping.firstNameColumn);
  const last = mapping.lastNameColumn === undefined ? undefined : columnNumber(mapping.lastNameColumn);
  const named = new Set([phone, first, last]);
  /** A custom field is named by its header cell, or by its column letter when the header is empty. */
  const fieldName = (i: number) =>
    (headers[i]?.trim() || columnLetters(i)).slice(0, CONTACT_LIMITS.fieldNameLength);
  const clip = (text: string | undefined, max: number) => text?.trim().slice(0, max) || undefined;
  const seen = new Set<string>();
  return (row: SheetRow): ContactRow => {
    const raw = row.cells[phone];
    const input = cellText(raw) ?? '';
    const number = normalise(typeof raw === 'number' || typeof raw === 'string' ? raw : input || null);
    if (!number.ok)
      return { row: row.rowNumber, status: 'invalid', input, reason: `INVALID_NUMBER:${number.reason}` };
    if (seen.has(number.e164)) return { row: row.rowNumber, status: 'duplicate', input };
    seen.add(number.e164);
    const fields: Record<string, string> = {};
    if (mapping.otherColumns === 'keep') {
      row.cells.forEach((cell, i) => {
        const value = clip(cellText(cell), CONTACT_LIMITS.fieldValueLength);
        if (!named.has(i) && value !== undefined && Object.keys(fields).length < CONTACT_LIMITS.fields)
          fields[fieldName(i)] = value;
      });
    }
    const firstName =
      first === undefined ? undefined : clip(cellText(row.cells[first]), CONTACT_LIMITS.nameLength);
    const lastName =
      last === undefined ? undefined : clip(cellText(row.cells[last]), CONTACT_LIMITS.nameLength);
    return {
      row: row.rowNumber,
      status: 'ok',
      contact: {
        phone: number.e164,
        ...(firstName ? { firstName } : {}),
        ...(lastName ? { lastName } : {}),
        ...(Object.keys(fields).length > 0 ? { fields } : {}),
      },
    };
  };
}

/** import-contacts › ImportChunks: one chunk's valid rows become contacts (BatchWriteItem; idempotent). */
export async function importGroupChunk(
  deps: Pick<ImportDeps, 'contactGroups' | 'files' | 'clock'>,
  input: GroupInput & { chunk: { index: number; key: string } },
): Promise<{ index: number; written: number }> {
  const rows = readChunkRows<ContactRow>(await deps.files.read(input.chunk.key));
  const createdAt = deps.clock.now().toISOString();
  const contacts: Contact[] = rows.flatMap((r) =>
    r.status === 'ok' && r.contact ? [{ ...r.contact, createdAt }] : [],
  );
  await deps.contactGroups.putContacts(input.accountId, input.groupId, contacts);
  return { index: input.chunk.index, written: contacts.length };
}

/** import-contacts › Finish: what was indexed is stored on the group, which becomes `ready`. */
export async function finishGroupImport(
  deps: Pick<ImportDeps, 'contactGroups' | 'clock'>,
  input: GroupInput & {
    parse: {
      rows: number;
      invalid: number;
      duplicates: number;
      reasons: Record<string, number>;
      fields: string[];
    };
    chunks: readonly { index: number; written: number }[];
  },
): Promise<{ status: string; import: ImportSummary }> {
  const valid = input.chunks.reduce((sum, c) => sum + c.written, 0);
  const summary: ImportSummary = {
    rows: input.parse.rows,
    valid,
    invalid: input.parse.invalid,
    duplicates: input.parse.duplicates,
    reasons: input.parse.reasons,
    chunks: input.chunks.length,
  };
  const group = await deps.contactGroups.updateGroup(
    input.accountId,
    input.groupId,
    {
      status: 'ready',
      contacts: valid,
      fieldNames: input.parse.fields,
      import: summary,
      updatedAt: deps.clock.now().toISOString(),
    },
    ['importing'],
  );
  return { status: group?.status ?? 'gone', import: summary };
}

/** import-contacts › Fail: the group is `failed` with the reason (a rejected file, or an error). */
export async function failGroupImport(
  deps: Pick<ImportDeps, 'contactGroups' | 'clock'>,
  input: GroupInput & { error?: { Error?: string; Cause?: string } },
): Promise<{ status: string }> {
  const reason = failureReason(input.error);
  const group = await deps.contactGroups.updateGroup(
    input.accountId,
    input.groupId,
    { status: 'failed', reason, updatedAt: deps.clock.now().toISOString() },
    ['importing'],
  );
  return { status: group?.status ?? 'gone' };
}

/**
 * A Lambda error's `Cause` is its JSON (`errorMessage`, `code` of a GroupFileRejected, ...). Also the
 * blocklist import's failure reason.
 */
export function failureReason(error: { Error?: string; Cause?: string } | undefined): string {
  try {
    const cause = JSON.parse(error?.Cause ?? '{}') as { errorMessage?: string; code?: string };
    if (cause.errorMessage) return cause.code ? `${cause.code}: ${cause.errorMessage}` : cause.errorMessage;
  } catch {
    // Not JSON: fall through to the error name.
  }
  return error?.Error ?? 'The import failed';
}

/** Contacts deleted per purge step: a few seconds of BatchWriteItem, far from the task's timeout. */
export const PURGE_STEP = 5_000;

/**
 * purge-contact-group › Purge (looped until done): deletes the next contacts of a `deleting` group; once
 * none are left, the group item itself.
 */
export async function purgeContactGroup(
  deps: Pick<ImportDeps, 'contactGroups'>,
  input: GroupInput,
): Promise<{ deleted: number; done: boolean }> {
  const group = await deps.contactGroups.getGroup(input.accountId, input.groupId);
  if (!group) return { deleted: 0, done: true };
  if (group.status !== 'deleting') throw new Error(`Group ${input.groupId} is ${group.status}, not deleting`);
  const step = await deps.contactGroups.purgeContacts(input.accountId, input.groupId, PURGE_STEP);
  if (step.done) await deps.contactGroups.deleteGroup(input.accountId, input.groupId);
  return step;
}

/**
 * The import review: the rows of the file with a given status (invalid with reason, or duplicate), with
 * their row numbers, read back from the import's chunks. Cursor = `<chunk>.<row offset>`.
 */
export async function listImportRows(
  deps: Pick<ImportDeps, 'files'>,
  group: ContactGroup,
  query: { status: ContactRow['status']; limit: number; cursor?: string },
): Promise<{ items: ContactRow[]; cursor?: string }> {
  const chunks = group.import?.chunks ?? 0;
  const [chunkText, offsetText] = (query.cursor ?? '0.0').split('.');
  let chunk = Number(chunkText) || 0;
  let offset = Number(offsetText) || 0;
  const items: ContactRow[] = [];
  // Bounded work per request: a 100k-row import has 100 chunks; a caller pages on with the cursor.
  const lastChunk = Math.min(chunks, chunk + MAX_CHUNKS_PER_PAGE);
  for (; chunk < lastChunk; chunk++, offset = 0) {
    const rows = readChunkRows<ContactRow>(
      await deps.files.read(objectKeys.groupChunk(group.accountId, group.id, chunk)),
    );
    for (; offset < rows.length; offset++) {
      const row = rows[offset];
      if (row?.status !== query.status) continue;
      if (items.length === query.limit) return { items, cursor: `${chunk}.${offset}` };
      items.push(row);
    }
  }
  return chunk < chunks ? { items, cursor: `${chunk}.0` } : { items };
}

const MAX_CHUNKS_PER_PAGE = 20;
