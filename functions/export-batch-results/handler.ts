import { z } from 'zod';
import { makeFileStore } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeDynamoResultsExportRepository } from '#adapters/dynamodb/results-export-repository';
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import { makeSqsClient } from '#adapters/sqs/client';
import { makeSqsExportQueue } from '#adapters/sqs/export-queue';
import { makeTableAdapters } from '#adapters/table-adapters';
import { ExportQueueEnv, loadEnv, TableEnv } from '#config/env';
import { ValidationFailed } from '#domain/errors';
import { customerRoutes } from '#http/api-handler';
import { fileDownload, safeFileName } from '#http/download';
import { exportLocation, exportView } from '#http/export-presenters';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { systemClock } from '#ports/clock';
import { type ExportResultsDeps, exportBatchResults } from '#use-cases/batches/export-results';
import { getResultsExport, requestResultsExport } from '#use-cases/batches/results-exports';

const env = loadEnv(ExportQueueEnv.and(TableEnv));
const table = makeTableAdapters(env);
const files = makeFileStore();
const deps: ExportResultsDeps = {
  batches: table.batches,
  messages: table.messages,
  files,
  writers: { csv: csvWriter, xlsx: makeXlsxWriter() },
  clock: systemClock,
};
const exportDeps = {
  batches: table.batches,
  exports: makeDynamoResultsExportRepository({ client: table.client, tableName: env.TABLE_NAME }),
  queue: makeSqsExportQueue({ client: makeSqsClient(), queueUrl: env.EXPORT_QUEUE_URL }),
  ids: cryptoIds,
  clock: systemClock,
  files,
};
const ExportResultsQuery = z.object({ format: z.enum(['csv', 'xlsx']).default('csv') });
const RequestExport = z.object({ format: z.enum(['csv', 'xlsx']) });
const IdempotencyKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/);

/**
 * A batch's per-row results. `GET …/results`: within the request, answered inline (base64) or, when too
 * big for a Lambda response, as `{ url }` to download it from S3. `…/exports*`: the same file written in
 * the background by `run-results-export` (any size; xlsx up to 1,048,575 rows), polled until ready.
 * One function for both (CloudFormation's 500 resources a stack: a function costs four).
 */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'GET /v1/batches/{id}/results': async (event) => {
      const query = ExportResultsQuery.safeParse(event.queryStringParameters ?? {});
      if (!query.success) throw new ValidationFailed('format must be csv or xlsx');
      const file = await exportBatchResults(deps, event.caller, {
        batchId: event.pathParameters?.id ?? '',
        format: query.data.format,
      });
      if (file.kind === 'inline') return fileDownload(file);
      return json(200, { url: file.url, expiresAt: file.expiresAt, fileName: safeFileName(file.fileName) });
    },
    'POST /v1/batches/{id}/exports': async (event) => {
      const { format } = parseBody(event, RequestExport);
      const key = event.headers['idempotency-key'];
      if (key !== undefined && !IdempotencyKey.safeParse(key).success) {
        throw new ValidationFailed('Idempotency-Key must be 1-128 printable ASCII characters');
      }
      const { export: created } = await requestResultsExport(exportDeps, event.caller, {
        batchId: event.pathParameters?.id ?? '',
        format,
        ...(key === undefined ? {} : { idempotencyKey: key }),
      });
      // A joined export may already be ready: answer its link as its GET would.
      const view =
        created.status === 'ready'
          ? await getResultsExport(exportDeps, event.caller, {
              batchId: created.batchId,
              exportId: created.id,
            })
          : { export: created };
      return json(202, exportView(view), { location: exportLocation(created.batchId, created.id) });
    },
    'GET /v1/batches/{id}/exports/{exportId}': async (event) =>
      json(
        200,
        exportView(
          await getResultsExport(exportDeps, event.caller, {
            batchId: event.pathParameters?.id ?? '',
            exportId: event.pathParameters?.exportId ?? '',
          }),
        ),
      ),
  },
);
