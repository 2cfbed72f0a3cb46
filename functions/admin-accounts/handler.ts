import { makeTableAdapters } from '#adapters/table-adapters';
import { adminAccountView } from '#http/admin-presenters';
import { json } from '#http/json';
import { operatorRoutes } from '#http/route-helpers';
import { getAccount } from '#use-cases/accounts';
import { setAccountStatus } from '#use-cases/admin-accounts';

const table = makeTableAdapters();
const deps = { accounts: table.accounts };

/** Operator: read an account with its money in flight; suspend (its keys stop at once) or reactivate. */
export const handler = operatorRoutes({
  'GET /v1/admin/accounts/{id}': async (event) =>
    json(200, adminAccountView(await getAccount(deps, event.pathParameters?.id ?? ''))),
  'POST /v1/admin/accounts/{id}/suspend': async (event) =>
    json(
      200,
      adminAccountView(
        await setAccountStatus(deps, { accountId: event.pathParameters?.id ?? '', status: 'suspended' }),
      ),
    ),
  'POST /v1/admin/accounts/{id}/reactivate': async (event) =>
    json(
      200,
      adminAccountView(
        await setAccountStatus(deps, { accountId: event.pathParameters?.id ?? '', status: 'active' }),
      ),
    ),
});
