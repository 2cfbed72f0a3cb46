import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
import { NotFound, ValidationFailed } from '#domain/errors';
import { makePhoneNumberNormaliser } from '#domain/phone/phone-number';
import type { AccountBlocklistRepository } from '#ports/account-blocklist';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { ObjectStore } from '#ports/object-store';
import type { CellValue, OpenSpreadsheet } from '#ports/spreadsheet';
import { columnNumber } from '../batches/parse-batch-file';
import type { BlocklistOwner } from './account-blocklist';

export interface ImportBlocklistDeps {
  readonly accountBlocklist: AccountBlocklistRepository;
  readonly batches: Pick<BatchRepository, 'getUpload'>;
  readonly files: ObjectStore;
  readonly openSpreadsheet: OpenSpreadsheet;
  readonly clock: Clock;
}

/**
 * Rows one import reads. An import runs inside one API call (≤ 30 s at the gateway): 200k numbers
 * are ~2,000 BatchGetItem + up to 8,000 BatchWriteItem calls, well inside it. Larger lists: split them.
 */
export const IMPORT_MAX_ROWS = 200_000;
/** Invalid rows listed in the answer (all are counted). */
const INVALID_SHOWN = 100;
/** Numbers written per round (one BatchGetItem + four BatchWriteItem calls). */
const WRITE_ROUND = 100;

export interface BlocklistImportReport {
  readonly rows: number;
  readonly added: number;
  /** Repeated in the file, or already on the list. */
  readonly duplicates: number;
  readonly alreadyListed: number;
  readonly invalid: number;
  readonly invalidRows: readonly { row: number; reason: string }[];
}

const COLUMN = /^[A-Z]{1,3}$/;

function cellInput(value: CellValue | undefined): string | number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  return value === null || value === undefined ? null : String(value);
}

/**
 * Imports numbers from an uploaded file (`POST /v1/uploads`, csv, xlsx or xls) into the account's
 * blocklist.
 * 1. The upload must be the caller's (404 otherwise) and within `IMPORT_MAX_ROWS`.
 * 2. Read the phone column from `firstRow` on; normalise each number (any valid number, the account's
 *    country for national input). Invalid rows are counted with their reason; repeats are duplicates.
 * 3. Add the new numbers (the ones already listed keep their entry) and answer the counts.
 */
export async function importBlocklist(
  deps: ImportBlocklistDeps,
  owner: BlocklistOwner,
  input: {
    uploadId: string;
    phoneColumn: string;
    firstRow: number;
    sheet?: string | number;
    reason?: string;
  },
): Promise<BlocklistImportReport> {
  const column = input.phoneColumn.trim().toUpperCase();
  if (!COLUMN.test(column)) throw new ValidationFailed('phoneColumn must be a column letter like "A"');
  const upload = await deps.batches.getUpload(owner.accountId, input.uploadId);
  if (!upload) throw new NotFound('Upload not found');
  const bytes = await deps.files.read(upload.key).catch(() => undefined);
  if (!bytes) throw new ValidationFailed('The file has not been uploaded yet');
  const book = await deps.openSpreadsheet(bytes);
  const normalise = makePhoneNumberNormaliser({
    defaultCountry: owner.account.country,
    requireMobile: false,
  });
  const phone = columnNumber(column);
  const now = deps.clock.now().toISOString();
  const seen = new Set<string>();
  const invalidRows: { row: number; reason: string }[] = [];
  let rows = 0;
  let invalid = 0;
  let repeats = 0;
  let added = 0;
  let pending: AccountBlockEntry[] = [];
  const flush = async () => {
    added += (await deps.accountBlocklist.addMany(pending)).added;
    pending = [];
  };
  for await (const batch of book.rowBatches({
    ...(input.sheet === undefined ? {} : { sheet: input.sheet }),
    maxRows: input.firstRow - 1 + IMPORT_MAX_ROWS + 1,
  })) {
    for (const row of batch) {
      if (row.rowNumber < input.firstRow) continue;
      if (++rows > IMPORT_MAX_ROWS) {
        throw new ValidationFailed(`An import reads at most ${IMPORT_MAX_ROWS} rows: split the file`);
      }
      const number = normalise(cellInput(row.cells[phone]));
      if (!number.ok) {
        invalid++;
        if (invalidRows.length < INVALID_SHOWN)
          invalidRows.push({ row: row.rowNumber, reason: number.reason });
        continue;
      }
      if (seen.has(number.e164)) {
        repeats++;
        continue;
      }
      seen.add(number.e164);
      pending.push({
        accountId: owner.accountId,
        number: number.e164,
        createdAt: now,
        createdBy: `import:${upload.id}`,
        ...(input.reason ? { reason: input.reason } : {}),
      });
      if (pending.length >= WRITE_ROUND) await flush();
    }
  }
  await flush();
  const alreadyListed = seen.size - added;
  return { rows, added, duplicates: repeats + alreadyListed, alreadyListed, invalid, invalidRows };
}
