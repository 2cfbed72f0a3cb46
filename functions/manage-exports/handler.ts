import { z } from 'zod';
import { makeFileStore } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeDynamoResultsExportRepository } from '#adapters/dynamodb/results-export-repository';
import { makeSqsClient } from '#adapters/sqs/client';
import { makeSqsExportQueue } from '#adapters/sqs/export-queue';
import { makeTableAdapters } from '#adapters/table-adapters';
import { ExportQueueEnv, loadEnv, TableEnv } from '#config/env';
import { ValidationFailed } from '#domain/errors';
import { customerRoutes } from '#http/api-handler';
import { exportLocation, exportView } from '#http/export-presenters';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { systemClock } from '#ports/clock';
import { getResultsExport, requestResultsExport } from '#use-cases/batches/results-exports';

const env = loadEnv(ExportQueueEnv.and(TableEnv));
const table = makeTableAdapters(env);
const exports = makeDynamoResultsExportRepository({ client: table.client, tableName: env.TABLE_NAME });
const deps = {
  batches: table.batches,
  exports,
  queue: makeSqsExportQueue({ client: makeSqsClient(), queueUrl: env.EXPORT_QUEUE_URL }),
  ids: cryptoIds,
  clock: systemClock,
  files: makeFileStore(),
};

const RequestExport = z.object({ format: z.enum(['csv', 'xlsx']) });
const IdempotencyKey = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/);

/**
 * `/v1/batches/{id}/exports*`: asynchronous results exports of the caller's batch, for files too big or
 * too slow for the synchronous `GET /v1/batches/{id}/results` (xlsx of up to 1,048,575 rows).
 */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/batches/{id}/exports': async (event) => {
      const { format } = parseBody(event, RequestExport);
      const key = event.headers['idempotency-key'];
      if (key !== undefined && !IdempotencyKey.safeParse(key).success) {
        throw new ValidationFailed('Idempotency-Key must be 1-128 printable ASCII characters');
      }
      const { export: created } = await requestResultsExport(deps, event.caller, {
        batchId: event.pathParameters?.id ?? '',
        format,
        ...(key === undefined ? {} : { idempotencyKey: key }),
      });
      // A joined export may already be ready: answer its link as its GET would.
      const view =
        created.status === 'ready'
          ? await getResultsExport(deps, event.caller, { batchId: created.batchId, exportId: created.id })
          : { export: created };
      return json(202, exportView(view), { location: exportLocation(created.batchId, created.id) });
    },
    'GET /v1/batches/{id}/exports/{exportId}': async (event) =>
      json(
        200,
        exportView(
          await getResultsExport(deps, event.caller, {
            batchId: event.pathParameters?.id ?? '',
            exportId: event.pathParameters?.exportId ?? '',
          }),
        ),
      ),
  },
);
