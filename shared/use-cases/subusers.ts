import type { Account } from '#domain/account/account';
import { Forbidden, NotFound, ValidationFailed } from '#domain/errors';
import type { AccountChanges } from '#ports/account-repository';
import { type AccountDeps, type Caller, createAccount } from './accounts';

export interface CreateSubuserCommand {
  readonly username: string;
  readonly password: string;
  readonly name?: string;
  readonly notificationEmail?: string;
  readonly billing: Account['billing'];
  readonly country?: string;
  readonly timezone?: string;
  readonly receivesReplies?: boolean;
}

/** Subusers are one level deep: a subuser cannot create subusers of its own. */
function assertTopLevel(caller: Caller): void {
  if (caller.account.parentId) throw new Forbidden('SUBUSER_NOT_ALLOWED', 'A subuser cannot manage subusers');
}

/**
 * An account creates a subuser with limited resources.
 * 1. Only a top-level account may; the subuser inherits its sender ids, price list and currency.
 * 2. Create it (username unique platform-wide, password hashed) with its own first API key.
 */
export async function createSubuser(deps: AccountDeps, caller: Caller, command: CreateSubuserCommand) {
  assertTopLevel(caller);
  const parent = caller.account;
  return createAccount(deps, {
    name: command.name ?? command.username,
    username: command.username,
    password: command.password,
    parentId: parent.id,
    billing: command.billing,
    country: command.country ?? parent.country,
    timezone: command.timezone ?? parent.timezone,
    senderIds: parent.senderIds,
    maxParts: parent.maxParts,
    receivesReplies: command.receivesReplies ?? parent.receivesReplies,
    ...(parent.priceListId ? { priceListId: parent.priceListId } : {}),
    ...(command.notificationEmail ? { notificationEmail: command.notificationEmail } : {}),
  });
}

/** A subuser of the caller; anything else (a sibling, another account, the caller itself) is not found. */
export async function getSubuser(deps: Pick<AccountDeps, 'accounts'>, caller: Caller, subuserId: string) {
  const subuser = await deps.accounts.get(subuserId);
  if (!subuser || subuser.parentId !== caller.accountId) throw new NotFound('Subuser not found');
  return subuser;
}

export async function listSubusers(deps: Pick<AccountDeps, 'accounts'>, caller: Caller) {
  assertTopLevel(caller);
  return deps.accounts.listSubusers(caller.accountId);
}

export async function updateSubuser(
  deps: AccountDeps,
  caller: Caller,
  subuserId: string,
  changes: Omit<AccountChanges, 'passwordHash'> & { password?: string },
) {
  await getSubuser(deps, caller, subuserId);
  const { password, ...rest } = changes;
  if (password !== undefined && !deps.passwords) throw new Error('A password hasher is required');
  const passwordHash = password === undefined ? undefined : await deps.passwords?.hash(password);
  const updated = await deps.accounts.update(subuserId, {
    ...rest,
    ...(passwordHash ? { passwordHash } : {}),
  });
  if (!updated) throw new NotFound('Subuser not found');
  return updated;
}

/**
 * Moves credit between the caller and one of its subusers in one transaction: a positive amount funds
 * the subuser, a negative one takes unspent credit back. Nothing moves when the payer is short.
 * `operationId` (the Idempotency-Key) makes a replay change nothing.
 */
export async function transferCredit(
  deps: AccountDeps,
  caller: Caller,
  command: { subuserId: string; amount: number; operationId?: string },
) {
  if (!Number.isSafeInteger(command.amount) || command.amount === 0) {
    throw new ValidationFailed('amount must be a non-zero amount with at most 4 decimals');
  }
  await getSubuser(deps, caller, command.subuserId);
  const toSubuser = command.amount > 0;
  const id = command.operationId ? `transfer-${caller.accountId}-${command.operationId}` : deps.ids.newId();
  await deps.accounts.transfer({
    id,
    from: toSubuser ? caller.accountId : command.subuserId,
    to: toSubuser ? command.subuserId : caller.accountId,
    amount: Math.abs(command.amount),
    by: caller.accountId,
    at: deps.clock.now().toISOString(),
  });
  const [parent, subuser] = await Promise.all([
    deps.accounts.get(caller.accountId),
    deps.accounts.get(command.subuserId),
  ]);
  return { id, parentBalance: parent?.balance ?? 0, subuserBalance: subuser?.balance ?? 0 };
}
