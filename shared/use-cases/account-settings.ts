import type { BillingDetails } from '#domain/account/account';
import { Forbidden, NotFound } from '#domain/errors';
import type { AccountRepository } from '#ports/account-repository';
import type { PasswordHasher } from '#ports/ids';
import type { Caller } from './accounts';

/**
 * Changes the caller's password.
 * 1. The current password must match (an account without one may set its first).
 * 2. Store the new scrypt hash.
 */
export async function changePassword(
  deps: { accounts: AccountRepository; passwords: PasswordHasher },
  caller: Caller,
  command: { currentPassword?: string; newPassword: string },
): Promise<void> {
  const { passwordHash } = caller.account;
  if (passwordHash !== undefined) {
    const ok =
      command.currentPassword !== undefined &&
      (await deps.passwords.verify(command.currentPassword, passwordHash));
    if (!ok) throw new Forbidden('WRONG_PASSWORD', 'The current password is not correct');
  }
  await deps.accounts.update(caller.accountId, {
    passwordHash: await deps.passwords.hash(command.newPassword),
  });
}

export async function setBillingDetails(
  deps: { accounts: AccountRepository },
  caller: Caller,
  details: BillingDetails,
) {
  const updated = await deps.accounts.update(caller.accountId, { billingDetails: details });
  if (!updated) throw new NotFound('Account not found');
  return updated;
}

/** The caller's ledger, newest first: every change of balance, with who and why. */
export async function listLedger(
  deps: { accounts: AccountRepository },
  caller: Caller,
  page: { limit: number; cursor?: string },
) {
  return deps.accounts.ledger(caller.accountId, page);
}
