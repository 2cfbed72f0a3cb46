import { z } from 'zod';
import { cryptoIds, sha256Hasher } from '#adapters/crypto/ids';
import { makeTableAdapters } from '#adapters/table-adapters';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { systemClock } from '#ports/clock';
import { createApiKey, listApiKeys, revokeApiKey } from '#use-cases/api-keys';

const CreateApiKeyRequest = z.object({ name: z.string().trim().min(1).max(100).optional() });

const table = makeTableAdapters();
const deps = { keys: table.keys, ids: cryptoIds, hasher: sha256Hasher, clock: systemClock };

/** `/v1/api-keys`: the caller's own keys. The key itself is shown once, at creation. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/api-keys': async (event) => {
      const { name } = parseBody(event, CreateApiKeyRequest);
      return json(201, await createApiKey(deps, event.caller, name));
    },
    'GET /v1/api-keys': async (event) => json(200, { items: await listApiKeys(deps, event.caller) }),
    'DELETE /v1/api-keys/{keyId}': async (event) => {
      await revokeApiKey(deps, event.caller, event.pathParameters?.keyId ?? '');
      return { statusCode: 204 };
    },
  },
);
