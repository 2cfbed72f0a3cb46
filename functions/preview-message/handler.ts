import { z } from 'zod';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { formatMoney } from '#domain/money';
import { customerRoute } from '#http/api-handler';
import { json } from '#http/json';
import { previewMessage } from '#use-cases/preview-message';

const PreviewMessageRequest = z.object({
  text: z.string().max(10_000),
  to: z.union([z.string(), z.number()]).transform(String).optional(),
  smartEncoding: z.boolean().optional(),
});

const table = makeTableAdapters();
const platformEnv = loadEnv(PlatformEnv);
const { priceLists } = makePlatformAdapters(undefined, {
  client: table.client,
  priceListCacheSeconds: platformEnv.PRICE_LIST_CACHE_SECONDS,
});

export const handler = customerRoute(
  { authenticate: table.authenticate, body: PreviewMessageRequest },
  async (event) => {
    const { text, to, smartEncoding } = event.parsed;
    const preview = await previewMessage(
      { accounts: table.accounts, prices: priceLists },
      {
        accountId: event.caller.accountId,
        text,
        ...(to === undefined ? {} : { to }),
        ...(smartEncoding ? { smartEncoding } : {}),
      },
    );
    const { split, price, smartEncoded } = preview;
    return json(200, {
      encoding: split.encoding,
      characters: split.characters,
      parts: split.parts,
      perPartLimit: split.perPartLimit,
      remainingInPart: split.remainingInPart,
      segments: split.segments,
      ...(preview.to === undefined ? {} : { to: preview.to }),
      ...(price === undefined
        ? {}
        : {
            cost: formatMoney(price.cost),
            pricePerPart: formatMoney(price.pricePerPart),
            currency: price.currency,
          }),
      ...(smartEncoded === undefined
        ? {}
        : {
            smartEncoded: {
              text: smartEncoded.text,
              changed: smartEncoded.changed,
              replacements: smartEncoded.replacements,
              partsBefore: smartEncoded.partsBefore,
              partsAfter: smartEncoded.partsAfter,
              partsSaved: smartEncoded.partsSaved,
            },
          }),
    });
  },
);
