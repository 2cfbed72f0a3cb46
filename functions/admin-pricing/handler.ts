import { z } from 'zod';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { adminAccountView, priceListSummary, priceListView } from '#http/admin-presenters';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { operatorOf, operatorRoutes } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import { assignPriceList, getPriceList, listPriceLists, savePriceList } from '#use-cases/pricing';

const PriceListBody = z.object({
  currency: z.string().regex(/^[A-Z]{3}$/, 'ISO 4217, e.g. EUR'),
  entries: z
    .array(
      z.object({
        prefix: z.string().describe('E.164 digits without +: "40" (country) or "40722" (network)'),
        price: z.string().describe('Per message part, decimal string with up to 4 decimals: "0.0450"'),
        network: z.string().trim().min(1).max(100).optional(),
        country: z
          .string()
          .regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2')
          .optional(),
      }),
    )
    .max(2000),
});
const AssignBody = z.object({ priceListId: z.string().min(1).max(64) });

const table = makeTableAdapters();
// The operator always reads stored lists; no cache here.
const platform = makePlatformAdapters(undefined, { priceListCacheSeconds: 0 });
const deps = { accounts: table.accounts, priceLists: platform.priceLists, clock: systemClock };

/** Operator: price lists (`default` and per-account ones) and which list prices an account. */
export const handler = operatorRoutes({
  'GET /v1/admin/price-lists': async () =>
    json(200, { items: (await listPriceLists(deps)).map(priceListSummary) }),
  'GET /v1/admin/price-lists/{id}': async (event) =>
    json(200, priceListView(await getPriceList(deps, event.pathParameters?.id ?? ''))),
  'PUT /v1/admin/price-lists/{id}': async (event) => {
    const body = parseBody(event, PriceListBody);
    const { created, list } = await savePriceList(deps, {
      id: event.pathParameters?.id ?? '',
      currency: body.currency,
      entries: body.entries,
      by: operatorOf(event),
    });
    return json(created ? 201 : 200, priceListView(list));
  },
  'PUT /v1/admin/accounts/{id}/price-list': async (event) => {
    const { priceListId } = parseBody(event, AssignBody);
    const account = await assignPriceList(deps, { accountId: event.pathParameters?.id ?? '', priceListId });
    return json(200, adminAccountView(account));
  },
});
