import { z } from 'zod';
import { makeDynamoCallbackSettingsRepository } from '#adapters/dynamodb/callback-settings-repository';
import { makeDynamoInboundRepository } from '#adapters/dynamodb/inbound-repository';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { ValidationFailed } from '#domain/errors';
import { normalisePhoneNumber } from '#domain/phone/phone-number';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { InboundQuery } from '#http/list-queries';
import { parseBody } from '#http/middleware';
import { parseQuery } from '#http/route-helpers';
import {
  getCallbackSettings,
  listInbound,
  optOutKeywordsOf,
  setOptOutKeywords,
  updateCallbackSettings,
} from '#use-cases/inbound/inbound-settings';

const CallbackSettingsRequest = z.object({
  url: z.string().trim().min(1).max(2048).nullable().optional(),
  deliveryReports: z.boolean().optional(),
  replies: z.boolean().optional(),
  rotateSecret: z.boolean().optional(),
});
const OptOutRequest = z.object({ keywords: z.array(z.string().max(100)).max(100).nullable() });

const table = makeTableAdapters();
const options = { client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME };
const deps = {
  inbound: makeDynamoInboundRepository(options),
  settings: makeDynamoCallbackSettingsRepository(options),
};

/** Replies (MO) of the caller, its callback URL and switches, and its opt-out keywords. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'GET /v1/inbound': async (event) => {
      const query = parseQuery(event, InboundQuery);
      let number: string | undefined;
      if (query.number !== undefined) {
        const parsed = normalisePhoneNumber(query.number, {
          defaultCountry: event.caller.account.country,
          requireMobile: false,
        });
        if (!parsed.ok) throw new ValidationFailed('number is not a phone number');
        number = parsed.e164;
      }
      const page = await listInbound(deps, event.caller, {
        limit: query.limit,
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        ...(query.from === undefined ? {} : { from: query.from }),
        ...(query.to === undefined ? {} : { to: query.to }),
        ...(number === undefined ? {} : { number }),
      });
      return json(200, {
        items: page.items.map(({ accountId: _a, carrier: _c, carrierId: _i, ...reply }) => reply),
        ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
      });
    },
    'GET /v1/account/callbacks': async (event) => json(200, await getCallbackSettings(deps, event.caller)),
    'PUT /v1/account/callbacks': async (event) => {
      const body = parseBody(event, CallbackSettingsRequest);
      return json(
        200,
        await updateCallbackSettings(deps, event.caller, {
          ...(body.url === undefined ? {} : { url: body.url }),
          ...(body.deliveryReports === undefined ? {} : { deliveryReports: body.deliveryReports }),
          ...(body.replies === undefined ? {} : { replies: body.replies }),
          ...(body.rotateSecret === undefined ? {} : { rotateSecret: body.rotateSecret }),
        }),
      );
    },
    'GET /v1/account/opt-out': async (event) => json(200, optOutKeywordsOf(event.caller)),
    'PUT /v1/account/opt-out': async (event) =>
      json(200, await setOptOutKeywords(deps, event.caller, parseBody(event, OptOutRequest).keywords)),
  },
);
