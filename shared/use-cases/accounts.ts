import { type Account, DEFAULT_ACCOUNT_SETTINGS } from '#domain/account/account';
import { bearerToken, formatApiKey, parseApiKey } from '#domain/account/api-key';
import { NotFound, Unauthorized, ValidationFailed } from '#domain/errors';
import { DEFAULT_MAX_PARTS } from '#domain/message/encoding';
import type { AccountRepository, ApiKeyRepository } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator, SecretHasher } from '#ports/ids';

export interface AccountDeps {
  readonly accounts: AccountRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hasher: SecretHasher;
}

export interface CreateAccountCommand {
  readonly name: string;
  readonly country?: string;
  readonly timezone?: string;
  readonly senderIds?: readonly string[];
  readonly maxParts?: number;
}

/**
 * The operator creates an account with its first API key.
 * 1. Fill defaults (country RO, Europe/Bucharest, EUR, default sender, 10 parts).
 * 2. Store the account and the key's hash in one transaction; the key is returned once, never again.
 */
export async function createAccount(
  deps: AccountDeps,
  command: CreateAccountCommand,
): Promise<{ account: Account; apiKey: string }> {
  const now = deps.clock.now().toISOString();
  const account: Account = {
    id: deps.ids.newId(),
    name: command.name,
    status: 'active',
    country: command.country ?? DEFAULT_ACCOUNT_SETTINGS.country,
    timezone: command.timezone ?? DEFAULT_ACCOUNT_SETTINGS.timezone,
    currency: DEFAULT_ACCOUNT_SETTINGS.currency,
    balance: 0,
    senderIds: command.senderIds ?? DEFAULT_ACCOUNT_SETTINGS.senderIds,
    maxParts: command.maxParts ?? DEFAULT_MAX_PARTS,
    createdAt: now,
  };
  const key = { keyId: deps.ids.newToken(16), secret: deps.ids.newToken(40) };
  await deps.accounts.create(account, {
    keyId: key.keyId,
    accountId: account.id,
    secretHash: deps.hasher.hash(key.secret),
    status: 'active',
    createdAt: now,
  });
  return { account, apiKey: formatApiKey(key) };
}

/** The operator adds (or, negative, corrects) credit; every change is a ledger entry with who and why. */
export async function addCredit(
  deps: AccountDeps,
  command: { accountId: string; amount: number; reason?: string; by: string },
): Promise<number> {
  if (!Number.isSafeInteger(command.amount) || command.amount === 0) {
    throw new ValidationFailed('amount must be a non-zero amount with at most 4 decimals');
  }
  const account = await deps.accounts.get(command.accountId);
  if (!account) throw new NotFound('Account not found');
  return deps.accounts.credit({
    id: deps.ids.newId(),
    accountId: command.accountId,
    amount: command.amount,
    kind: command.amount > 0 ? 'top-up' : 'correction',
    reason: command.reason ?? (command.amount > 0 ? 'Top-up' : 'Correction'),
    by: command.by,
    at: deps.clock.now().toISOString(),
  });
}

export async function getAccount(deps: Pick<AccountDeps, 'accounts'>, accountId: string): Promise<Account> {
  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFound('Account not found');
  return account;
}

/**
 * Who is calling: the account behind a bearer API key. Unknown, malformed and revoked keys, and keys of
 * suspended accounts, all answer the same `Unauthorized` (no hint which part was wrong).
 */
export async function authenticateApiKey(
  deps: { keys: ApiKeyRepository; accounts: AccountRepository; hasher: SecretHasher },
  authorization: string | undefined,
): Promise<{ accountId: string; keyId: string }> {
  const token = bearerToken(authorization);
  const parsed = token === undefined ? undefined : parseApiKey(token);
  if (!parsed) throw new Unauthorized('Missing or malformed API key');
  const stored = await deps.keys.get(parsed.keyId);
  if (stored?.status !== 'active' || !deps.hasher.verify(parsed.secret, stored.secretHash)) {
    throw new Unauthorized('Unknown or revoked API key');
  }
  const account = await deps.accounts.get(stored.accountId);
  if (account?.status !== 'active') throw new Unauthorized('Unknown or revoked API key');
  return { accountId: stored.accountId, keyId: stored.keyId };
}
