import { z } from 'zod';
import { cryptoIds, sha256Hasher } from '#adapters/crypto/ids';
import { makeTableAdapters } from '#adapters/table-adapters';
import { ValidationFailed } from '#domain/errors';
import { formatMoney, InvalidAmount, parseMoney } from '#domain/money';
import { openRoute } from '#http/api-handler';
import { json } from '#http/json';
import { systemClock } from '#ports/clock';
import { addCredit } from '#use-cases/accounts';

const AddCreditRequest = z.object({
  amount: z.union([z.string(), z.number()]).describe('Decimal amount in the account currency, e.g. "10.50"'),
  reason: z.string().max(500).optional(),
});

const table = makeTableAdapters();
const deps = { accounts: table.accounts, clock: systemClock, ids: cryptoIds, hasher: sha256Hasher };

/** Who the operator is: the IAM principal when deployed, the operator key locally. */
function operatorOf(context: object): string {
  const { authorizer } = context as { authorizer?: { iam?: { userArn?: string } } };
  return authorizer?.iam?.userArn ?? 'operator';
}

/** Operator only: a top-up (or a negative correction), recorded in the ledger. */
export const handler = openRoute({ body: AddCreditRequest }, async (event) => {
  let amount: number;
  try {
    amount = parseMoney(event.parsed.amount);
  } catch (error) {
    if (error instanceof InvalidAmount) throw new ValidationFailed(error.message, { cause: error });
    throw error;
  }
  const balance = await addCredit(deps, {
    accountId: event.pathParameters?.id ?? '',
    amount,
    ...(event.parsed.reason === undefined ? {} : { reason: event.parsed.reason }),
    by: operatorOf(event.requestContext),
  });
  return json(200, { accountId: event.pathParameters?.id, balance: formatMoney(balance) });
});
