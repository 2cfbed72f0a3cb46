import { makeDynamoLinkRepository } from '#adapters/dynamodb/link-repository';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { customerQueryRoute } from '#http/api-handler';
import { json } from '#http/json';
import { pageView } from '#http/list-presenters';
import { PageQuery, parseQuery } from '#http/route-helpers';

const table = makeTableAdapters();
const links = makeDynamoLinkRepository({ client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME });

/** `GET /v1/links`: the caller's short links, newest first, each with its message and click count. */
export const handler = customerQueryRoute({ authenticate: table.authenticate }, async (event) => {
  const page = await links.listShortLinks(event.caller.accountId, parseQuery(event, PageQuery));
  return json(
    200,
    pageView(page, (link) => ({
      code: link.code,
      url: link.url,
      messageId: link.messageId ?? null,
      clicks: link.clicks,
      createdAt: link.createdAt,
      lastClickAt: link.lastClickAt ?? null,
    })),
  );
});
