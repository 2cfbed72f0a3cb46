import type { Account } from '#domain/account/account';
import { NotFound } from '#domain/errors';
import type { AccountRepository } from '#ports/account-repository';

/**
 * The operator suspends or reactivates an account.
 * 1. Set its status (404 for an unknown account).
 * Authentication reads the account on every request, so a suspended account's keys are refused from
 * the next request on (401), and work again as soon as it is reactivated; nothing is cached.
 */
export async function setAccountStatus(
  deps: { accounts: Pick<AccountRepository, 'update'> },
  command: { accountId: string; status: Account['status'] },
): Promise<Account> {
  const updated = await deps.accounts.update(command.accountId, { status: command.status });
  if (!updated) throw new NotFound('Account not found');
  return updated;
}
