import { parseApiKey } from '#domain/account/api-key';
import { Unauthorized } from '#domain/errors';
import type { AccountRepository, ApiKeyRepository } from '#ports/account-repository';
import type { PasswordHasher, SecretHasher } from '#ports/ids';
import type { Caller } from '../accounts';

export interface CredentialDeps {
  readonly accounts: Pick<AccountRepository, 'get' | 'findByUsername'>;
  readonly keys: Pick<ApiKeyRepository, 'get'>;
  readonly hasher: SecretHasher;
  readonly passwords: PasswordHasher;
}

/** The key id recorded for a caller who signed in with a password rather than an API key. */
export const PASSWORD_LOGIN = 'password';

/**
 * Who is calling the sendSMS-compatible API: `username` plus its password or one of its API keys (the
 * upstream's design: the plugins send both in the query string).
 * 1. Find the account (or subuser) by username.
 * 2. An `sk_…` secret must be an active API key *of that account*; anything else is checked against the
 *    account's scrypt password hash.
 * 3. The account, and the parent of a subuser, must be active.
 * Every failure is the same `Unauthorized`, so an unknown username and a wrong password look alike.
 */
export async function authenticateCredentials(
  deps: CredentialDeps,
  credentials: { username: string; password: string },
): Promise<Caller> {
  const denied = () => new Unauthorized('wrong username or password');
  const account = await deps.accounts.findByUsername(credentials.username);
  if (!account) throw denied();
  const apiKey = parseApiKey(credentials.password);
  let keyId = PASSWORD_LOGIN;
  if (apiKey) {
    const stored = await deps.keys.get(apiKey.keyId);
    if (
      stored?.status !== 'active' ||
      stored.accountId !== account.id ||
      !deps.hasher.verify(apiKey.secret, stored.secretHash)
    ) {
      throw denied();
    }
    keyId = stored.keyId;
  } else if (
    !account.passwordHash ||
    !(await deps.passwords.verify(credentials.password, account.passwordHash))
  ) {
    throw denied();
  }
  if (account.status !== 'active') throw denied();
  if (account.parentId) {
    const parent = await deps.accounts.get(account.parentId);
    if (parent?.status !== 'active') throw denied();
  }
  return { accountId: account.id, keyId, account };
}
