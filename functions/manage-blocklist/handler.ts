import { z } from 'zod';
import { makeFileAdapters } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeSfnWorkflowStarter } from '#adapters/sfn/workflow-starter';
import { makeTableAdapters } from '#adapters/table-adapters';
import { BlocklistImportEnv, loadEnv, WorkflowEnv } from '#config/env';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { accountBlockView, blocklistImportView, pageView } from '#http/list-presenters';
import { parseBody } from '#http/middleware';
import { PageQuery, parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import {
  addToBlocklist,
  checkBlocklist,
  listBlocklist,
  removeFromBlocklist,
} from '#use-cases/blocklist/account-blocklist';
import { getBlocklistImport, importBlocklist } from '#use-cases/blocklist/import-blocklist';

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
const workflowArn = loadEnv(WorkflowEnv).IMPORT_BLOCKLIST_WORKFLOW_ARN;
const { BLOCKLIST_IMPORT_SYNC_MAX_ROWS: syncMaxRows } = loadEnv(BlocklistImportEnv);
const deps = {
  ...table,
  ...makeFileAdapters(),
  workflows: makeSfnWorkflowStarter({ arns: workflowArn ? { importBlocklist: workflowArn } : {} }),
  ids: cryptoIds,
  clock: systemClock,
};
type Event = { pathParameters?: Record<string, string | undefined> };
const number = (event: Event) => event.pathParameters?.number ?? '';

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
    // Up to BLOCKLIST_IMPORT_SYNC_MAX_ROWS data rows: 200 with the report; larger: 202 with the import.
    'POST /v1/blocklist/imports': async (event) => {
      const request = parseBody(event, ImportRequest);
      const { reason, sheet, ...rest } = request;
      const outcome = await importBlocklist(
        deps,
        event.caller,
        { ...rest, ...(sheet === undefined ? {} : { sheet }), ...(reason ? { reason } : {}) },
        syncMaxRows === undefined ? {} : { syncMaxRows },
      );
      if (outcome.kind === 'report') return json(200, outcome.report);
      return json(202, blocklistImportView(outcome.import), {
        location: `/v1/blocklist/imports/${outcome.import.id}`,
      });
    },
    'GET /v1/blocklist/imports/{id}': async (event) =>
      json(
        200,
        blocklistImportView(await getBlocklistImport(deps, event.caller, event.pathParameters?.id ?? '')),
      ),
  },
);
