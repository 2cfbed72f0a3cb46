import { z } from 'zod';
import { makeFileAdapters } from '#adapters/batch-adapters';
import { makeTableAdapters } from '#adapters/table-adapters';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { accountBlockView, pageView } from '#http/list-presenters';
import { parseBody } from '#http/middleware';
import { PageQuery, parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import {
  addToBlocklist,
  checkBlocklist,
  listBlocklist,
  removeFromBlocklist,
} from '#use-cases/blocklist/account-blocklist';
import { importBlocklist } from '#use-cases/blocklist/import-blocklist';

const Reason = z.string().trim().max(500).optional();
const AddRequest = z.object({ number: z.union([z.string(), z.number()]).transform(String), reason: Reason });
const ImportRequest = z.object({
  uploadId: z.string().min(1),
  phoneColumn: z.string().trim().min(1).max(3),
  firstRow: z.number().int().min(1).max(1_048_576).default(1),
  sheet: z.union([z.string().min(1).max(31), z.number().int().min(0)]).optional(),
  reason: Reason,
});

const table = makeTableAdapters();
const deps = { ...table, ...makeFileAdapters(), clock: systemClock };
const number = (event: { pathParameters?: Record<string, string | undefined> }) =>
  event.pathParameters?.number ?? '';

/** `/v1/blocklist`: the caller account's own blocklist (the platform's is the operator's, /v1/admin). */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'GET /v1/blocklist': async (event) =>
      json(
        200,
        pageView(await listBlocklist(deps, event.caller, parseQuery(event, PageQuery)), accountBlockView),
      ),
    'POST /v1/blocklist': async (event) => {
      const { number, reason } = parseBody(event, AddRequest);
      const { created, entry } = await addToBlocklist(deps, event.caller, {
        number,
        ...(reason ? { reason } : {}),
      });
      return json(created ? 201 : 200, accountBlockView(entry));
    },
    'GET /v1/blocklist/{number}': async (event) =>
      json(200, await checkBlocklist(deps, event.caller, { number: number(event) })),
    'DELETE /v1/blocklist/{number}': async (event) => {
      await removeFromBlocklist(deps, event.caller, { number: number(event) });
      return { statusCode: 204 };
    },
    'POST /v1/blocklist/imports': async (event) => {
      const request = parseBody(event, ImportRequest);
      const { reason, sheet, ...rest } = request;
      return json(
        200,
        await importBlocklist(deps, event.caller, {
          ...rest,
          ...(sheet === undefined ? {} : { sheet }),
          ...(reason ? { reason } : {}),
        }),
      );
    },
  },
);
