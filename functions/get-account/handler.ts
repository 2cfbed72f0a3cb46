import { makeTableAdapters } from '#adapters/table-adapters';
import { customerQueryRoute } from '#http/api-handler';
import { json } from '#http/json';
import { accountView } from '#http/presenters';
import { getAccount } from '#use-cases/accounts';

const table = makeTableAdapters();

export const handler = customerQueryRoute({ authenticate: table.authenticate }, async (event) =>
  json(200, accountView(await getAccount(table, event.caller.accountId))),
);
