import { z } from 'zod';
import {
  makeDynamoDedicatedNumbers,
  makeDynamoUnmatchedInbound,
} from '#adapters/dynamodb/inbound-repository';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { operatorOf, operatorRoutes, PageQuery, parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import { assignDedicatedNumber, releaseDedicatedNumber } from '#use-cases/inbound/dedicated-numbers';

const AssignBody = z.object({ accountId: z.string().min(1).max(64) });

const table = makeTableAdapters();
const options = { client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME };
const numbers = makeDynamoDedicatedNumbers(options);
const unmatched = makeDynamoUnmatchedInbound(options);
const deps = {
  numbers,
  accountExists: async (accountId: string) => (await table.accounts.get(accountId)) !== undefined,
};

/**
 * Operator: dedicated numbers (a reply to one goes to its account, whoever sent from it last), and the
 * replies that matched no account (kept 30 days: often the sign that a number should be dedicated).
 */
export const handler = operatorRoutes({
  'GET /v1/admin/numbers': async (event) => {
    const page = await numbers.list(parseQuery(event, PageQuery));
    return json(200, { items: page.items, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
  },
  'PUT /v1/admin/numbers/{number}': async (event) => {
    const { accountId } = parseBody(event, AssignBody);
    const entry = await assignDedicatedNumber(deps, {
      number: event.pathParameters?.number ?? '',
      accountId,
      by: operatorOf(event),
      at: systemClock.now().toISOString(),
    });
    return json(200, entry);
  },
  'DELETE /v1/admin/numbers/{number}': async (event) => {
    await releaseDedicatedNumber(deps, event.pathParameters?.number ?? '');
    return { statusCode: 204 };
  },
  'GET /v1/admin/inbound/unmatched': async (event) => {
    const page = await unmatched.list(parseQuery(event, PageQuery));
    return json(200, { items: page.items, ...(page.cursor === undefined ? {} : { cursor: page.cursor }) });
  },
});
