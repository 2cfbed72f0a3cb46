import { z } from 'zod';
import { makeFileAdapters } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeTableAdapters } from '#adapters/table-adapters';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { systemClock } from '#ports/clock';
import { previewUpload } from '#use-cases/batches/preview-upload';
import { createUpload } from '#use-cases/batches/uploads';

const CreateUploadRequest = z.object({
  fileName: z.string().trim().min(1).max(255),
  contentType: z.string().trim().min(1).max(255),
});

const table = makeTableAdapters();
const files = makeFileAdapters();
const deps = { batches: table.batches, ids: cryptoIds, clock: systemClock, ...files };

/** `/v1/uploads`: a presigned PUT for a batch file, and the wizard's preview of it. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/uploads': async (event) =>
      json(201, await createUpload(deps, event.caller, parseBody(event, CreateUploadRequest))),
    'GET /v1/uploads/{id}/preview': async (event) => {
      const sheet = event.queryStringParameters?.sheet;
      return json(
        200,
        await previewUpload(deps, event.caller, {
          uploadId: event.pathParameters?.id ?? '',
          ...(sheet === undefined ? {} : { sheet: /^\d+$/.test(sheet) ? Number(sheet) : sheet }),
        }),
      );
    },
  },
);
