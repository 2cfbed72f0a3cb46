import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
import {
  type BlocklistImport,
  type BlocklistImportReport,
  INVALID_ROWS_SHOWN,
} from '#domain/blocklist/blocklist-import';
import { NotFound, ValidationFailed } from '#domain/errors';
import { makePhoneNumberNormaliser } from '#domain/phone/phone-number';
import type { AccountBlocklistRepository } from '#ports/account-blocklist';
import type { BatchRepository } from '#ports/batch-repository';
import type { BlocklistImportRepository } from '#ports/blocklist-imports';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import type { CellValue, OpenSpreadsheet, SheetRow } from '#ports/spreadsheet';
import type { WorkflowStarter } from '#ports/workflows';
import { columnNumber } from '../files/sheet-chunks';
import type { BlocklistOwner } from './account-blocklist';

export type { BlocklistImportReport } from '#domain/blocklist/blocklist-import';

export interface ImportBlocklistDeps {
  readonly accountBlocklist: AccountBlocklistRepository;
  readonly blocklistImports: BlocklistImportRepository;
  readonly batches: Pick<BatchRepository, 'getUpload'>;
  readonly files: ObjectStore;
  readonly openSpreadsheet: OpenSpreadsheet;
  readonly workflows: WorkflowStarter;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/**
 * Default of `BLOCKLIST_IMPORT_SYNC_MAX_ROWS`: files up to this many data rows are imported within the API
 * call, which the gateway cuts at 30 s. Per 100 numbers the writes take one BatchGetItem and four
 * BatchWriteItem calls in a row (~50 ms on DynamoDB): ~2 000 numbers/s, measured 1 850/s on the local
 * stack (50 000 numbers: 27 s, too close). 10 000 take ~5 s; the old limit (200 000) could not finish.
 */
export const SYNC_MAX_ROWS = 10_000;
/** Numbers written per round (one BatchGetItem + four BatchWriteItem calls). */
const WRITE_ROUND = 100;

export interface BlocklistImportRequest {
  readonly uploadId: string;
  readonly phoneColumn: string;
  readonly firstRow: number;
  readonly sheet?: string | number;
  readonly reason?: string;
}

/** Either the report (imported within the request) or the import started in the workflow. */
export type BlocklistImportOutcome =
  | { readonly kind: 'report'; readonly report: BlocklistImportReport }
  | { readonly kind: 'started'; readonly import: BlocklistImport };

const COLUMN = /^[A-Z]{1,3}$/;

function cellInput(value: CellValue | undefined): string | number | null {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') return value;
  return value === null || value === undefined ? null : String(value);
}

export type NumberRow =
  | { readonly status: 'ok'; readonly e164: string }
  | { readonly status: 'invalid'; readonly reason: string }
  | { readonly status: 'repeat' };

/**
 * The one reading of an import's rows, within the request and in the workflow: any valid number (the
 * account's country for national input); a number seen before in the file is a repeat.
 */
export function numberRowReader(country: string, phoneColumn: string): (row: SheetRow) => NumberRow {
  const normalise = makePhoneNumberNormaliser({ defaultCountry: country, requireMobile: false });
  const phone = columnNumber(phoneColumn);
  const seen = new Set<string>();
  return (row) => {
    const number = normalise(cellInput(row.cells[phone]));
    if (!number.ok) return { status: 'invalid', reason: number.reason };
    if (seen.has(number.e164)) return { status: 'repeat' };
    seen.add(number.e164);
    return { status: 'ok', e164: number.e164 };
  };
}

/** `phoneColumn` as Excel shows it ("A"), upper-cased. */
export function importColumn(phoneColumn: string): string {
  const column = phoneColumn.trim().toUpperCase();
  if (!COLUMN.test(column)) throw new ValidationFailed('phoneColumn must be a column letter like "A"');
  return column;
}

/**
 * Imports numbers from an uploaded file (`POST /v1/uploads`, csv, xlsx or xls) into the account's
 * blocklist.
 * 1. The upload must be the caller's (404 otherwise) and its file present.
 * 2. Read the phone column from `firstRow` on, at most `syncMaxRows + 1` data rows, keeping the numbers
 *    in memory (nothing is written before the file is known to be small).
 * 3. Within `syncMaxRows`: add the new numbers (listed ones keep their entry) and answer the report.
 * 4. Larger: store an import (`running`) and start the import-blocklist workflow, named after it (a
 *    retried start starts nothing twice); the caller polls the import for the same report.
 */
export async function importBlocklist(
  deps: ImportBlocklistDeps,
  owner: BlocklistOwner,
  input: BlocklistImportRequest,
  options: { syncMaxRows?: number } = {},
): Promise<BlocklistImportOutcome> {
  const syncMaxRows = options.syncMaxRows ?? SYNC_MAX_ROWS;
  const column = importColumn(input.phoneColumn);
  const upload = await deps.batches.getUpload(owner.accountId, input.uploadId);
  if (!upload) throw new NotFound('Upload not found');
  const bytes = await deps.files.read(upload.key).catch(() => undefined);
  if (!bytes) throw new ValidationFailed('The file has not been uploaded yet');
  const book = await deps.openSpreadsheet(bytes);
  const read = numberRowReader(owner.account.country, column);
  const numbers: string[] = [];
  const invalidRows: { row: number; reason: string }[] = [];
  let rows = 0;
  let invalid = 0;
  let repeats = 0;
  for await (const batch of book.rowBatches({
    ...(input.sheet === undefined ? {} : { sheet: input.sheet }),
    maxRows: input.firstRow - 1 + syncMaxRows + 1,
  })) {
    for (const row of batch) {
      if (row.rowNumber < input.firstRow) continue;
      if (++rows > syncMaxRows) return { kind: 'started', import: await startImport(deps, owner, input) };
      const number = read(row);
      if (number.status === 'invalid') {
        invalid++;
        if (invalidRows.length < INVALID_ROWS_SHOWN)
          invalidRows.push({ row: row.rowNumber, reason: number.reason });
      } else if (number.status === 'repeat') repeats++;
      else numbers.push(number.e164);
    }
  }
  const now = deps.clock.now().toISOString();
  const entry = (number: string): AccountBlockEntry => ({
    accountId: owner.accountId,
    number,
    createdAt: now,
    createdBy: `import:${upload.id}`,
    ...(input.reason ? { reason: input.reason } : {}),
  });
  let added = 0;
  for (let start = 0; start < numbers.length; start += WRITE_ROUND) {
    added += (await deps.accountBlocklist.addMany(numbers.slice(start, start + WRITE_ROUND).map(entry)))
      .added;
  }
  const alreadyListed = numbers.length - added;
  const report = { rows, added, duplicates: repeats + alreadyListed, alreadyListed, invalid, invalidRows };
  return { kind: 'report', report };
}

async function startImport(
  deps: ImportBlocklistDeps,
  owner: BlocklistOwner,
  input: BlocklistImportRequest,
): Promise<BlocklistImport> {
  const entry: BlocklistImport = {
    id: deps.ids.newId(),
    accountId: owner.accountId,
    uploadId: input.uploadId,
    phoneColumn: importColumn(input.phoneColumn),
    firstRow: input.firstRow,
    ...(input.sheet === undefined ? {} : { sheet: input.sheet }),
    ...(input.reason ? { reason: input.reason } : {}),
    status: 'running',
    createdAt: deps.clock.now().toISOString(),
    chunkAdded: {},
  };
  await deps.blocklistImports.create(entry);
  try {
    await deps.workflows.start('importBlocklist', `blocklist-import-${entry.id}`, {
      accountId: entry.accountId,
      importId: entry.id,
    });
  } catch (error) {
    // Nothing would ever finish it: the import answers `failed` rather than `running` forever.
    await deps.blocklistImports.update(
      entry.accountId,
      entry.id,
      { status: 'failed', failure: 'The import could not be started', updatedAt: entry.createdAt },
      ['running'],
    );
    throw error;
  }
  return entry;
}

/** An import of the caller's (404 for another account's, as for every resource). */
export async function getBlocklistImport(
  deps: Pick<ImportBlocklistDeps, 'blocklistImports'>,
  owner: Pick<BlocklistOwner, 'accountId'>,
  importId: string,
): Promise<BlocklistImport> {
  const found = await deps.blocklistImports.get(owner.accountId, importId);
  if (!found) throw new NotFound('Blocklist import not found');
  return found;
}
