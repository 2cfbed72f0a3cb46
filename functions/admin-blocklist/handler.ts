import { z } from 'zod';
import { makePlatformAdapters } from '#adapters/table-adapters';
import { globalBlockView } from '#http/admin-presenters';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { operatorOf, operatorRoutes, PageQuery, parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import { blockNumberGlobally, listGlobalBlocklist, unblockNumberGlobally } from '#use-cases/global-blocklist';

const BlockBody = z.object({ reason: z.string().trim().max(500).optional() });

const platform = makePlatformAdapters();
const deps = { globalBlocklist: platform.globalBlocklist, clock: systemClock };

/** Operator: the platform's blocklist; a number on it can be sent to by no account. */
export const handler = operatorRoutes({
  'GET /v1/admin/blocklist': async (event) => {
    const page = await listGlobalBlocklist(deps, parseQuery(event, PageQuery));
    return json(200, {
      items: page.items.map(globalBlockView),
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    });
  },
  'PUT /v1/admin/blocklist/{number}': async (event) => {
    const { reason } = parseBody(event, BlockBody);
    const { created, entry } = await blockNumberGlobally(deps, {
      number: event.pathParameters?.number ?? '',
      by: operatorOf(event),
      ...(reason === undefined || reason === '' ? {} : { reason }),
    });
    return json(created ? 201 : 200, globalBlockView(entry));
  },
  'DELETE /v1/admin/blocklist/{number}': async (event) => {
    await unblockNumberGlobally(deps, { number: event.pathParameters?.number ?? '' });
    return { statusCode: 204 };
  },
});
