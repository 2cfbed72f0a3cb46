import { z } from 'zod';
import { makeFileStore } from '#adapters/batch-adapters';
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import { makeTableAdapters } from '#adapters/table-adapters';
import { ValidationFailed } from '#domain/errors';
import { customerQueryRoute } from '#http/api-handler';
import { fileDownload, safeFileName } from '#http/download';
import { json } from '#http/json';
import { systemClock } from '#ports/clock';
import { type ExportResultsDeps, exportBatchResults } from '#use-cases/batches/export-results';

const table = makeTableAdapters();
const deps: ExportResultsDeps = {
  batches: table.batches,
  messages: table.messages,
  files: makeFileStore(),
  writers: { csv: csvWriter, xlsx: makeXlsxWriter() },
  clock: systemClock,
};
const ExportResultsQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('csv') });

/**
 * `GET /v1/batches/{id}/results?format=csv|xlsx`: the per-row results of the caller's batch, as a file
 * answered inline (base64) or, when too big for a Lambda response, as `{ url }` to download it from S3.
 */
export const handler = customerQueryRoute({ authenticate: table.authenticate }, async (event) => {
  const query = ExportResultsQuery.safeParse(event.queryStringParameters ?? {});
  if (!query.success) throw new ValidationFailed('format must be csv or xlsx');
  const file = await exportBatchResults(deps, event.caller, {
    batchId: event.pathParameters?.id ?? '',
    format: query.data.format,
  });
  if (file.kind === 'inline') return fileDownload(file);
  return json(200, { url: file.url, expiresAt: file.expiresAt, fileName: safeFileName(file.fileName) });
});
