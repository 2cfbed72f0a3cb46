import { z } from 'zod';
import { scryptPasswords } from '#adapters/crypto/password';
import { makeTableAdapters } from '#adapters/table-adapters';
import { formatMoney } from '#domain/money';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { accountView } from '#http/presenters';
import { customerPage } from '#http/route-helpers';
import { Email, Password } from '#http/schemas';
import { changePassword, listLedger, setBillingDetails } from '#use-cases/account-settings';

const ChangePasswordRequest = z.object({
  currentPassword: z.string().max(200).optional(),
  newPassword: Password,
});
const BillingDetailsRequest = z.object({
  company: z.string().trim().min(1).max(200),
  vatId: z.string().trim().max(32).optional(),
  address: z.string().trim().min(1).max(500),
  email: Email.optional(),
});

const table = makeTableAdapters();
const deps = { accounts: table.accounts, passwords: scryptPasswords };

/** `/v1/account/*`: the caller's ledger, password and billing details. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'GET /v1/account/ledger': async (event) => {
      const page = await listLedger(deps, event.caller, customerPage(event.queryStringParameters));
      return json(200, {
        items: page.items.map((e) => ({
          id: e.id,
          kind: e.kind,
          amount: formatMoney(e.amount),
          ...(e.reservedDelta ? { reserved: formatMoney(e.reservedDelta) } : {}),
          ...(e.spentDelta ? { spent: formatMoney(e.spentDelta) } : {}),
          reason: e.reason,
          by: e.by,
          ...(e.ref ? { ref: e.ref } : {}),
          at: e.at,
        })),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    },
    'PUT /v1/account/password': async (event) => {
      await changePassword(deps, event.caller, parseBody(event, ChangePasswordRequest));
      return { statusCode: 204 };
    },
    'PUT /v1/account/billing': async (event) =>
      json(
        200,
        accountView(await setBillingDetails(deps, event.caller, parseBody(event, BillingDetailsRequest))),
      ),
  },
);
