import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
import {
  type BlocklistImportStatus,
  INVALID_ROWS_SHOWN,
  importMarker,
  importReport,
} from '#domain/blocklist/blocklist-import';
import type { AccountBlocklistRepository } from '#ports/account-blocklist';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { BlocklistImportRepository } from '#ports/blocklist-imports';
import type { Clock } from '#ports/clock';
import type { ObjectStore } from '#ports/object-store';
import type { OpenSpreadsheet } from '#ports/spreadsheet';
import { objectKeys } from '#topology/workflows';
import { failureReason } from '../contacts/import-group';
import { ChunkWriter, forEachDataRow, readChunkRows } from '../files/sheet-chunks';
import { numberRowReader } from './import-blocklist';

/** docs/workflows.md, import-blocklist: the tasks, each idempotent (a retry or re-run changes nothing). */
export interface BlocklistImportTaskDeps {
  readonly blocklistImports: BlocklistImportRepository;
  readonly accountBlocklist: AccountBlocklistRepository;
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly batches: Pick<BatchRepository, 'getUpload'>;
  readonly files: ObjectStore;
  readonly openSpreadsheet: OpenSpreadsheet;
  readonly clock: Clock;
}

type ImportInput = { accountId: string; importId: string };
type Chunk = { index: number; key: string };
/** Numbers added per call of the repository: one BatchGetItem and four BatchWriteItem calls. */
const WRITE_ROUND = 100;

/** Thrown for an import that cannot go on; the workflow's Fail step records it on the import. */
export class BlocklistImportRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BlocklistImportRejected';
  }
}

async function mustGetImport(deps: Pick<BlocklistImportTaskDeps, 'blocklistImports'>, input: ImportInput) {
  const found = await deps.blocklistImports.get(input.accountId, input.importId);
  if (!found) throw new BlocklistImportRejected('IMPORT_NOT_FOUND', 'The import no longer exists');
  return found;
}

/**
 * import-blocklist › ParseFile: the file becomes chunks of distinct valid numbers in S3 (the reader and
 * chunk writer every file import uses), and its counts are stored on the import.
 * 1. Read the phone column from `firstRow` on, as the synchronous import does (`numberRowReader`).
 * 2. Count invalid rows (keeping the first 100) and repeats; write each distinct number once.
 * 3. Store the counts; answer the chunks for the Map. A re-run writes the same chunks and counts.
 */
export async function parseBlocklistFile(
  deps: BlocklistImportTaskDeps,
  input: ImportInput,
): Promise<{ chunks: Chunk[] }> {
  const entry = await mustGetImport(deps, input);
  const [upload, account] = await Promise.all([
    deps.batches.getUpload(entry.accountId, entry.uploadId),
    deps.accounts.get(entry.accountId),
  ]);
  if (!upload || !account)
    throw new BlocklistImportRejected('UPLOAD_NOT_FOUND', 'The upload no longer exists');
  const writer = new ChunkWriter<{ status: 'ok'; number: string }>(deps.files, (index) =>
    objectKeys.blocklistImportChunk(entry.accountId, entry.id, index),
  );
  const read = numberRowReader(account.country, entry.phoneColumn);
  const invalidRows: { row: number; reason: string }[] = [];
  let rows = 0;
  let invalid = 0;
  let repeats = 0;
  const source = {
    key: upload.key,
    firstRow: entry.firstRow,
    ...(entry.sheet === undefined ? {} : { sheet: entry.sheet }),
  };
  await forEachDataRow(deps, source, () => async (row) => {
    rows++;
    const number = read(row);
    if (number.status === 'ok') return writer.add({ status: 'ok', number: number.e164 });
    if (number.status === 'repeat') repeats++;
    else if (++invalid <= INVALID_ROWS_SHOWN) invalidRows.push({ row: row.rowNumber, reason: number.reason });
  });
  await writer.flush();
  const parse = { rows, invalid, repeats, unique: writer.rows, chunks: writer.chunks.length, invalidRows };
  await deps.blocklistImports.update(
    entry.accountId,
    entry.id,
    { parse, updatedAt: deps.clock.now().toISOString() },
    ['running'],
  );
  return { chunks: writer.chunks };
}

/**
 * import-blocklist › ImportChunks: one chunk's numbers on the account's blocklist, in rounds of 100 (the
 * synchronous import's BatchGetItem + BatchWriteItem). Entries carry the import as `createdBy` and its
 * creation time, so a re-run writes nothing twice and counts what an earlier attempt of this import
 * wrote as added by it (not as already listed): the chunk records the same number again.
 */
export async function importBlocklistChunk(
  deps: Pick<BlocklistImportTaskDeps, 'blocklistImports' | 'accountBlocklist' | 'files'>,
  input: ImportInput & { chunk: Chunk },
): Promise<{ index: number; added: number }> {
  const entry = await mustGetImport(deps, input);
  const numbers = readChunkRows<{ number: string }>(await deps.files.read(input.chunk.key));
  const toEntry = ({ number }: { number: string }): AccountBlockEntry => ({
    accountId: entry.accountId,
    number,
    createdAt: entry.createdAt,
    createdBy: importMarker(entry.id),
    ...(entry.reason ? { reason: entry.reason } : {}),
  });
  let added = 0;
  for (let start = 0; start < numbers.length; start += WRITE_ROUND) {
    const round = await deps.accountBlocklist.addMany(numbers.slice(start, start + WRITE_ROUND).map(toEntry));
    added += round.added + round.again;
  }
  await deps.blocklistImports.recordChunk(entry.accountId, entry.id, input.chunk.index, added);
  return { index: input.chunk.index, added };
}

/** import-blocklist › Finish: the report from the file's counts and every chunk's; `completed`. */
export async function finishBlocklistImport(
  deps: Pick<BlocklistImportTaskDeps, 'blocklistImports' | 'clock'>,
  input: ImportInput,
): Promise<{ status: BlocklistImportStatus | 'gone' }> {
  const entry = await mustGetImport(deps, input);
  if (!entry.parse) throw new BlocklistImportRejected('NOT_PARSED', 'The file was not read');
  const done = Object.keys(entry.chunkAdded).length;
  if (done !== entry.parse.chunks)
    throw new BlocklistImportRejected('CHUNKS_MISSING', `${entry.parse.chunks - done} chunks were not added`);
  const added = Object.values(entry.chunkAdded).reduce((sum, n) => sum + n, 0);
  const updated = await deps.blocklistImports.update(
    entry.accountId,
    entry.id,
    {
      status: 'completed',
      report: importReport(entry.parse, added),
      updatedAt: deps.clock.now().toISOString(),
    },
    ['running'],
  );
  return { status: updated?.status ?? entry.status };
}

/** import-blocklist › Fail: the import is `failed` with the reason (what was added stays listed). */
export async function failBlocklistImport(
  deps: Pick<BlocklistImportTaskDeps, 'blocklistImports' | 'clock'>,
  input: ImportInput & { error?: { Error?: string; Cause?: string } },
): Promise<{ status: BlocklistImportStatus | 'gone' }> {
  const updated = await deps.blocklistImports.update(
    input.accountId,
    input.importId,
    { status: 'failed', failure: failureReason(input.error), updatedAt: deps.clock.now().toISOString() },
    ['running'],
  );
  return { status: updated?.status ?? 'gone' };
}
