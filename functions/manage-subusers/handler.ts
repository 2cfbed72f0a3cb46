import { z } from 'zod';
import { cryptoIds, sha256Hasher } from '#adapters/crypto/ids';
import { scryptPasswords } from '#adapters/crypto/password';
import { makeTableAdapters } from '#adapters/table-adapters';
import { formatMoney } from '#domain/money';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { amountFrom } from '#http/money';
import { accountView } from '#http/presenters';
import { Amount, Country, Email, Password, TimeZone, Username } from '#http/schemas';
import { systemClock } from '#ports/clock';
import { createSubuser, getSubuser, listSubusers, transferCredit, updateSubuser } from '#use-cases/subusers';

const Billing = z.enum(['separate', 'parent']);
const CreateSubuserRequest = z.object({
  username: Username,
  password: Password,
  name: z.string().trim().min(1).max(200).optional(),
  notificationEmail: Email.optional(),
  billing: Billing,
  country: Country.optional(),
  timezone: TimeZone.optional(),
  receivesReplies: z.boolean().optional(),
});
const UpdateSubuserRequest = z.object({
  password: Password.optional(),
  name: z.string().trim().min(1).max(200).optional(),
  notificationEmail: Email.optional(),
  billing: Billing.optional(),
  country: Country.optional(),
  timezone: TimeZone.optional(),
  receivesReplies: z.boolean().optional(),
});
const TransferRequest = z.object({ amount: Amount });

const table = makeTableAdapters();
const deps = {
  accounts: table.accounts,
  clock: systemClock,
  ids: cryptoIds,
  hasher: sha256Hasher,
  passwords: scryptPasswords,
};

/** `/v1/subusers/*`: an account's subusers. Another account's subuser id is 404. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/subusers': async (event) => {
      const { account, apiKey } = await createSubuser(
        deps,
        event.caller,
        parseBody(event, CreateSubuserRequest),
      );
      return json(201, { ...accountView(account), apiKey });
    },
    'GET /v1/subusers': async (event) =>
      json(200, { items: (await listSubusers(deps, event.caller)).map(accountView) }),
    'GET /v1/subusers/{id}': async (event) =>
      json(200, accountView(await getSubuser(deps, event.caller, event.pathParameters?.id ?? ''))),
    'PATCH /v1/subusers/{id}': async (event) => {
      const changes = parseBody(event, UpdateSubuserRequest);
      return json(
        200,
        accountView(await updateSubuser(deps, event.caller, event.pathParameters?.id ?? '', changes)),
      );
    },
    'POST /v1/subusers/{id}/suspend': async (event) =>
      json(
        200,
        accountView(
          await updateSubuser(deps, event.caller, event.pathParameters?.id ?? '', { status: 'suspended' }),
        ),
      ),
    'POST /v1/subusers/{id}/reactivate': async (event) =>
      json(
        200,
        accountView(
          await updateSubuser(deps, event.caller, event.pathParameters?.id ?? '', { status: 'active' }),
        ),
      ),
    'POST /v1/subusers/{id}/credit-transfers': async (event) => {
      const { amount } = parseBody(event, TransferRequest);
      const key = event.headers['idempotency-key'];
      const result = await transferCredit(deps, event.caller, {
        subuserId: event.pathParameters?.id ?? '',
        amount: amountFrom(amount),
        ...(key ? { operationId: key } : {}),
      });
      return json(201, {
        id: result.id,
        balance: formatMoney(result.parentBalance),
        subuserBalance: formatMoney(result.subuserBalance),
      });
    },
  },
);
