import { z } from 'zod';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { formatMoney } from '#domain/money';
import { customerQueryRoute } from '#http/api-handler';
import { json } from '#http/json';
import { parseQuery } from '#http/route-helpers';
import { checkPrice } from '#use-cases/pricing';

const PriceQuery = z.object({ to: z.string().trim().min(1).max(64) });

const env = loadEnv(PlatformEnv);
const table = makeTableAdapters();
const platform = makePlatformAdapters(undefined, { priceListCacheSeconds: env.PRICE_LIST_CACHE_SECONDS });
const deps = { accounts: table.accounts, priceLists: platform.priceLists };

/** `GET /v1/prices?to=`: whether the caller can send to a number, and what one part costs. */
export const handler = customerQueryRoute({ authenticate: table.authenticate }, async (event) => {
  const { to } = parseQuery(event, PriceQuery);
  const price = await checkPrice(deps, { accountId: event.caller.accountId, to });
  return json(200, { ...price, pricePerPart: formatMoney(price.pricePerPart), routable: true });
});
