import type { Account } from '#domain/account/account';
import type { Batch, BatchMapping, BatchRow } from '#domain/batch/batch';
import { compileTemplate } from '#domain/message/template';
import { makePhoneNumberNormaliser } from '#domain/phone/phone-number';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { ObjectStore } from '#ports/object-store';
import type { CellValue, OpenSpreadsheet, SheetRow } from '#ports/spreadsheet';
import { objectKeys } from '#topology/workflows';
import { ChunkWriter, cellText, columnNumber, forEachDataRow } from '../files/sheet-chunks';
import { readGroupRecipients } from './group-recipients';

export { CHUNK_ROWS, columnNumber } from '../files/sheet-chunks';

export interface ParseDeps {
  readonly batches: BatchRepository;
  readonly accounts: AccountRepository;
  readonly files: ObjectStore;
  readonly openSpreadsheet: OpenSpreadsheet;
  /** For batches whose recipients are contact groups (list campaigns). */
  readonly contactGroups: ContactGroupRepository;
}

/** Thrown for a file or mapping the batch cannot be made from; the workflow fails the batch with it. */
export class BatchFileRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BatchFileRejected';
  }
}

/**
 * First step of the analysis: the file becomes chunks of rows in S3.
 * 1. Read the chosen sheet from the row above `firstRow` (its headers name the `#placeholders`).
 * 2. Per row: normalise the number (the account's country, mobile only), drop duplicates across the whole
 *    file, render the text (message column or template). Invalid rows keep their reason and row number.
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
        const process = rowProcessor(batch, mapping, account, headers);
        return (row) => writer.add(process(row));
      },
    );
  }
  await writer.flush();
  if (writer.rows === 0) throw new BatchFileRejected('EMPTY', 'No data rows from the first data row on');
  return writer.result();
}

/** The per-row step: number, duplicates, text. `headers` are the cells of the row above `firstRow`. */
function rowProcessor(batch: Batch, mapping: BatchMapping, account: Account, headers: readonly string[]) {
  const { options } = batch;
  const phone = columnNumber(mapping.phoneColumn);
  const normalise = makePhoneNumberNormaliser({ defaultCountry: account.country, requireMobile: true });
  const seen = new Set<string>();
  let render: (cells: readonly CellValue[]) => { ok: true; text: string } | { ok: false; reason: string };
  if (mapping.messageColumn !== undefined) {
    const column = columnNumber(mapping.messageColumn);
    render = (cells) => {
      const text = cellText(cells[column]);
      return text === undefined ? { ok: false, reason: 'EMPTY_TEXT' } : { ok: true, text };
    };
  } else {
    const template = compileTemplate(mapping.text ?? '', headers);
    if (!template.ok) {
      throw new BatchFileRejected(
        template.code,
        `Placeholders not among the headers: ${template.names.join(', ')}`,
      );
    }
    render = (cells) => {
      // A Map-like null-prototype record: headers such as __proto__ are plain keys here.
      const row: Record<string, string | undefined> = Object.create(null);
      headers.forEach((header, i) => {
        row[header] = cellText(cells[i]);
      });
      const result = template.render(row, { missing: options.missingValues });
      return result.ok ? { ok: true, text: result.text } : { ok: false, reason: 'MISSING_VALUES' };
    };
  }
  return (row: SheetRow): BatchRow => {
    const raw = row.cells[phone];
    const number = normalise(
      typeof raw === 'number' || typeof raw === 'string' ? raw : (cellText(raw) ?? null),
    );
    if (!number.ok)
      return { row: row.rowNumber, status: 'invalid', reason: `INVALID_NUMBER:${number.reason}` };
    if (options.dedup && seen.has(number.e164))
      return { row: row.rowNumber, to: number.e164, status: 'duplicate' };
    seen.add(number.e164);
    const text = render(row.cells);
    if (!text.ok) return { row: row.rowNumber, to: number.e164, status: 'invalid', reason: text.reason };
    return { row: row.rowNumber, to: number.e164, text: text.text, status: 'ok' };
  };
}
