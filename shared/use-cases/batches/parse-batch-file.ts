import type { BatchRow } from '#domain/batch/batch';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { ObjectStore } from '#ports/object-store';
import type { OpenSpreadsheet } from '#ports/spreadsheet';
import { objectKeys } from '#topology/workflows';
import { ChunkWriter, forEachDataRow } from '../files/sheet-chunks';
import { readGroupRecipients } from './group-recipients';
import { BatchFileRejected, rowProcessor } from './row-processor';

export { CHUNK_ROWS, columnNumber } from '../files/sheet-chunks';
export { BatchFileRejected } from './row-processor';

export interface ParseDeps {
  readonly batches: BatchRepository;
  readonly accounts: AccountRepository;
  readonly files: ObjectStore;
  readonly openSpreadsheet: OpenSpreadsheet;
  /** For batches whose recipients are contact groups (list campaigns). */
  readonly contactGroups: ContactGroupRepository;
  /** The operator's default sender, which a row's sender column may name like any approved one. */
  readonly platformSender?: string;
}

const platformSenderOf = (deps: ParseDeps) =>
  deps.platformSender === undefined ? {} : { platformSender: deps.platformSender };

/**
 * First step of the analysis: the file becomes chunks of rows in S3.
 * 1. Read the chosen sheet from the row above `firstRow` (its headers name the `#placeholders`).
 * 2. Per row (`rowProcessor`): normalise the number (the account's country, mobile only), drop duplicates
 *    across the whole file, render the text (message column or template), check the row's own sender,
 *    client reference and report URL. Invalid rows keep their reason and row number.
 * 3. Write chunks of 1 000 rows (JSON lines) under the batch's prefix; answer their keys and counts.
 */
export async function parseBatchFile(deps: ParseDeps, input: { accountId: string; batchId: string }) {
  const batch = await deps.batches.get(input.accountId, input.batchId);
  if (!batch) throw new BatchFileRejected('BATCH_NOT_FOUND', 'The batch no longer exists');
  const account = await deps.accounts.get(batch.accountId);
  if (!account) throw new BatchFileRejected('ACCOUNT_NOT_FOUND', 'The account no longer exists');
  const writer = new ChunkWriter<BatchRow>(deps.files, (index) =>
    objectKeys.chunk(batch.accountId, batch.id, 'parsed', index),
  );
  // A list campaign: the same chunks, read from the groups' contacts instead of a file.
  if (batch.groups) await readGroupRecipients(deps, batch, writer);
  else {
    const upload = batch.uploadId ? await deps.batches.getUpload(batch.accountId, batch.uploadId) : undefined;
    const { mapping } = batch;
    if (!upload || !mapping) throw new BatchFileRejected('UPLOAD_NOT_FOUND', 'The upload no longer exists');
    await forEachDataRow(
      deps,
      {
        key: upload.key,
        firstRow: mapping.firstRow,
        ...(mapping.sheet === undefined ? {} : { sheet: mapping.sheet }),
      },
      (headers) => {
        const process = rowProcessor(batch, mapping, { account, ...platformSenderOf(deps) }, headers);
        return (row) => writer.add(process(row));
      },
    );
  }
  await writer.flush();
  if (writer.rows === 0) throw new BatchFileRejected('EMPTY', 'No data rows from the first data row on');
  return writer.result();
}
