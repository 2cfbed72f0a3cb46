import { z } from 'zod';
import { cryptoIds, sha256Hasher } from '#adapters/crypto/ids';
import { scryptPasswords } from '#adapters/crypto/password';
import { makeTableAdapters } from '#adapters/table-adapters';
import { openRoute } from '#http/api-handler';
import { json } from '#http/json';
import { amountFrom } from '#http/money';
import { accountView } from '#http/presenters';
import { Amount, Country, Email, Password, TimeZone, Username } from '#http/schemas';
import { systemClock } from '#ports/clock';
import { createAccount } from '#use-cases/accounts';

const CreateAccountRequest = z.object({
  name: z.string().trim().min(1).max(200),
  country: Country.optional(),
  timezone: TimeZone.optional(),
  senderIds: z.array(z.string().min(1).max(15)).min(1).max(50).optional(),
  maxParts: z.number().int().min(1).max(50).optional(),
  username: Username.optional(),
  password: Password.optional(),
  notificationEmail: Email.optional(),
  requestsPerSecond: z.number().int().min(1).max(10_000).optional(),
  partsPerSecond: z.number().int().min(1).max(10_000).optional(),
  dailySpendLimit: Amount.optional(),
});

const table = makeTableAdapters();
const deps = {
  accounts: table.accounts,
  clock: systemClock,
  ids: cryptoIds,
  hasher: sha256Hasher,
  passwords: scryptPasswords,
};

/** Operator only: IAM-authorised at the gateway (the operator key locally). */
export const handler = openRoute({ body: CreateAccountRequest }, async (event) => {
  const { dailySpendLimit, ...request } = event.parsed;
  const { account, apiKey } = await createAccount(deps, {
    ...request,
    ...(dailySpendLimit === undefined ? {} : { dailySpendLimit: amountFrom(dailySpendLimit) }),
  });
  return json(201, { ...accountView(account), apiKey });
});
