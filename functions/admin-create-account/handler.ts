import { isSupportedCountry } from 'libphonenumber-js/max';
import { z } from 'zod';
import { cryptoIds, sha256Hasher } from '#adapters/crypto/ids';
import { makeTableAdapters } from '#adapters/table-adapters';
import { openRoute } from '#http/api-handler';
import { json } from '#http/json';
import { accountView } from '#http/presenters';
import { systemClock } from '#ports/clock';
import { createAccount } from '#use-cases/accounts';

const CreateAccountRequest = z.object({
  name: z.string().trim().min(1).max(200),
  country: z
    .string()
    .regex(/^[A-Z]{2}$/, 'ISO 3166 alpha-2, e.g. RO')
    .refine((c) => isSupportedCountry(c), 'a country with a known numbering plan')
    .optional(),
  timezone: z
    .string()
    .refine((tz) => {
      try {
        new Intl.DateTimeFormat('en', { timeZone: tz });
        return true;
      } catch {
        return false;
      }
    }, 'an IANA time zone, e.g. Europe/Bucharest')
    .optional(),
  senderIds: z.array(z.string().min(1).max(15)).min(1).max(50).optional(),
  maxParts: z.number().int().min(1).max(50).optional(),
});

const table = makeTableAdapters();
const deps = { accounts: table.accounts, clock: systemClock, ids: cryptoIds, hasher: sha256Hasher };

/** Operator only: IAM-authorised at the gateway (the operator key locally). */
export const handler = openRoute({ body: CreateAccountRequest }, async (event) => {
  const { account, apiKey } = await createAccount(deps, event.parsed);
  return json(201, { ...accountView(account), apiKey });
});
