import { NotFound, ValidationFailed } from '#domain/errors';
import type { BatchRepository } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';
import type { CellValue, OpenSpreadsheet } from '#ports/spreadsheet';
import type { Caller } from '../accounts';
import { MAX_UPLOAD_BYTES } from './uploads';

const PREVIEW_ROWS = 10;

function letter(index: number): string {
  let n = index + 1;
  let out = '';
  while (n > 0) {
    const rem = (n - 1) % 26;
    out = String.fromCharCode(65 + rem) + out;
    n = Math.floor((n - 1) / 26);
  }
  return out;
}

function show(value: CellValue | undefined): string | number | boolean | null {
  if (value === undefined || value === null) return null;
  return value instanceof Date ? value.toISOString() : value;
}

/**
 * The wizard's first look at an upload: its sheets (hidden ones marked), the first rows of one sheet as
 * they will be read (numbers stay numbers), the column letters, and a guess at the header row and
 * at which column holds phone numbers.
 */
export async function previewUpload(
  deps: { batches: BatchRepository; files: ObjectStore; openSpreadsheet: OpenSpreadsheet },
  caller: Caller,
  query: { uploadId: string; sheet?: string | number },
) {
  const upload = await deps.batches.getUpload(caller.accountId, query.uploadId);
  if (!upload) throw new NotFound('Upload not found');
  const size = await deps.files.size(upload.key);
  if (size === undefined) throw new ValidationFailed('The file has not been uploaded yet');
  if (size > MAX_UPLOAD_BYTES)
    throw new ValidationFailed(`The file is larger than ${MAX_UPLOAD_BYTES} bytes`);
  const book = await deps.openSpreadsheet(await deps.files.read(upload.key));
  const rows: { row: number; cells: (string | number | boolean | null)[] }[] = [];
  for await (const batch of book.rowBatches({
    ...(query.sheet === undefined ? {} : { sheet: query.sheet }),
    maxRows: PREVIEW_ROWS,
  })) {
    for (const row of batch) rows.push({ row: row.rowNumber, cells: row.cells.map(show) });
  }
  const width = Math.max(0, ...rows.map((r) => r.cells.length));
  const first = rows[0];
  const headerGuess = first?.cells.every(
    (c) => c === null || (typeof c === 'string' && !/^\+?[\d\s().-]{6,}$/.test(c)),
  )
    ? first.row
    : undefined;
  const phoneColumn = Array.from({ length: width }, (_, i) => i).find((i) =>
    rows.some((r) => r.row !== headerGuess && /^\+?[\d\s().-]{8,}$/.test(String(r.cells[i] ?? ''))),
  );
  return {
    uploadId: upload.id,
    fileName: upload.fileName,
    format: book.format,
    sheets: book.sheets,
    columns: Array.from({ length: width }, (_, i) => letter(i)),
    rows,
    guess: {
      ...(headerGuess === undefined ? {} : { headerRow: headerGuess, firstRow: headerGuess + 1 }),
      ...(phoneColumn === undefined ? {} : { phoneColumn: letter(phoneColumn) }),
    },
  };
}
