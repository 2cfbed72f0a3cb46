import { z } from 'zod';
import { cryptoIds, sha256Hasher } from '#adapters/crypto/ids';
import { makeTableAdapters } from '#adapters/table-adapters';
import { formatMoney } from '#domain/money';
import { openRoute } from '#http/api-handler';
import { json } from '#http/json';
import { amountFrom } from '#http/money';
import { Amount } from '#http/schemas';
import { systemClock } from '#ports/clock';
import { addCredit } from '#use-cases/accounts';

const AddCreditRequest = z.object({
  amount: Amount,
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
  const amount = amountFrom(event.parsed.amount);
  const key = event.headers['idempotency-key'];
  const balance = await addCredit(deps, {
    accountId: event.pathParameters?.id ?? '',
    amount,
    ...(event.parsed.reason === undefined ? {} : { reason: event.parsed.reason }),
    by: operatorOf(event.requestContext),
    ...(key ? { operationId: key } : {}),
  });
  return json(200, { accountId: event.pathParameters?.id, balance: formatMoney(balance) });
});
