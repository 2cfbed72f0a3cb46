import { NotFound } from '#domain/errors';
import type { AccountRepository } from '#ports/account-repository';

/**
 * Whose messages a report covers: the caller's, or with `subuserId` one of the caller's subusers (a
 * parent sees its subusers' reports). Another account, a sibling or a parent is simply not found.
 */
export async function reportOwner(
  accounts: Pick<AccountRepository, 'get'>,
  caller: { accountId: string },
  subuserId: string | undefined,
): Promise<string> {
  if (subuserId === undefined || subuserId === caller.accountId) return caller.accountId;
  const subuser = await accounts.get(subuserId);
  if (subuser?.parentId !== caller.accountId) throw new NotFound('Subuser not found');
  return subuser.id;
}
