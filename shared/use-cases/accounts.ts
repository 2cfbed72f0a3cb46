import { type Account, DEFAULT_ACCOUNT_SETTINGS } from '#domain/account/account';
import { bearerToken, formatApiKey, parseApiKey } from '#domain/account/api-key';
import { NotFound, Unauthorized, ValidationFailed } from '#domain/errors';
import { DEFAULT_MAX_PARTS } from '#domain/message/encoding';
import type { AccountRepository, ApiKeyRepository } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator, PasswordHasher, SecretHasher } from '#ports/ids';

export interface AccountDeps {
  readonly accounts: AccountRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  readonly hasher: SecretHasher;
  readonly passwords?: PasswordHasher;
}

export interface CreateAccountCommand {
  readonly name: string;
  readonly country?: string;
  readonly timezone?: string;
  readonly senderIds?: readonly string[];
  readonly maxParts?: number;
  readonly username?: string;
  readonly password?: string;
  readonly parentId?: string;
  readonly billing?: Account['billing'];
  readonly notificationEmail?: string;
  readonly receivesReplies?: boolean;
  readonly priceListId?: string;
  readonly requestsPerSecond?: number;
  readonly partsPerSecond?: number;
  readonly dailySpendLimit?: number;
}

/** A new API key: its record (hash only) and the key, shown once. */
export function newApiKey(
  deps: Pick<AccountDeps, 'ids' | 'hasher' | 'clock'>,
  accountId: string,
  name?: string,
) {
  const key = { keyId: deps.ids.newToken(16), secret: deps.ids.newToken(40) };
  return {
    apiKey: formatApiKey(key),
    record: {
      keyId: key.keyId,
      accountId,
      secretHash: deps.hasher.hash(key.secret),
      status: 'active' as const,
      createdAt: deps.clock.now().toISOString(),
      ...(name === undefined ? {} : { name }),
    },
  };
}

/**
 * Creates an account (by the operator) or a subuser (by an account) with its first API key.
 * 1. Fill defaults (country RO, Europe/Bucharest, EUR, default sender, 10 parts).
 * 2. Hash the password (scrypt), if one is given.
 * 3. Store account, key hash and username reservation in one transaction; the key is returned once.
 */
export async function createAccount(
  deps: AccountDeps,
  command: CreateAccountCommand,
): Promise<{ account: Account; apiKey: string }> {
  if (command.password !== undefined && !deps.passwords) throw new Error('A password hasher is required');
  const passwordHash =
    command.password === undefined ? undefined : await deps.passwords?.hash(command.password);
  const now = deps.clock.now().toISOString();
  const optional = {
    parentId: command.parentId,
    username: command.username,
    passwordHash,
    notificationEmail: command.notificationEmail,
    priceListId: command.priceListId,
    dailySpendLimit: command.dailySpendLimit,
  };
  const account: Account = {
    id: deps.ids.newId(),
    name: command.name,
    status: 'active',
    country: command.country ?? DEFAULT_ACCOUNT_SETTINGS.country,
    timezone: command.timezone ?? DEFAULT_ACCOUNT_SETTINGS.timezone,
    currency: DEFAULT_ACCOUNT_SETTINGS.currency,
    balance: 0,
    reserved: 0,
    spent: 0,
    senderIds: command.senderIds ?? DEFAULT_ACCOUNT_SETTINGS.senderIds,
    maxParts: command.maxParts ?? DEFAULT_MAX_PARTS,
    createdAt: now,
    billing: command.billing ?? 'separate',
    receivesReplies: command.receivesReplies ?? true,
    requestsPerSecond: command.requestsPerSecond ?? DEFAULT_ACCOUNT_SETTINGS.requestsPerSecond,
    partsPerSecond: command.partsPerSecond ?? DEFAULT_ACCOUNT_SETTINGS.partsPerSecond,
    ...(Object.fromEntries(Object.entries(optional).filter(([, v]) => v !== undefined)) as Partial<Account>),
  };
  const key = newApiKey(deps, account.id);
  await deps.accounts.create(account, key.record);
  return { account, apiKey: key.apiKey };
}

/**
 * The operator adds (or, negative, corrects) credit; every change is a ledger entry with who and why.
 * With an `operationId` (the request's Idempotency-Key) a replay changes nothing.
 */
export async function addCredit(
  deps: AccountDeps,
  command: { accountId: string; amount: number; reason?: string; by: string; operationId?: string },
): Promise<number> {
  if (!Number.isSafeInteger(command.amount) || command.amount === 0) {
    throw new ValidationFailed('amount must be a non-zero amount with at most 4 decimals');
  }
  const account = await deps.accounts.get(command.accountId);
  if (!account) throw new NotFound('Account not found');
  return deps.accounts.credit({
    id: command.operationId === undefined ? deps.ids.newId() : `op-${command.operationId}`,
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

/** The authenticated caller of a request. */
export interface Caller {
  readonly accountId: string;
  readonly keyId: string;
  readonly account: Account;
}

/**
 * Who is calling: the account behind a bearer API key. Unknown, malformed and revoked keys, and keys of
 * suspended accounts (or of subusers whose parent is suspended), all answer the same `Unauthorized`.
 */
export async function authenticateApiKey(
  deps: { keys: ApiKeyRepository; accounts: AccountRepository; hasher: SecretHasher },
  authorization: string | undefined,
): Promise<Caller> {
  const token = bearerToken(authorization);
  const parsed = token === undefined ? undefined : parseApiKey(token);
  if (!parsed) throw new Unauthorized('Missing or malformed API key');
  const stored = await deps.keys.get(parsed.keyId);
  if (stored?.status !== 'active' || !deps.hasher.verify(parsed.secret, stored.secretHash)) {
    throw new Unauthorized('Unknown or revoked API key');
  }
  const account = await deps.accounts.get(stored.accountId);
  if (account?.status !== 'active') throw new Unauthorized('Unknown or revoked API key');
  if (account.parentId) {
    const parent = await deps.accounts.get(account.parentId);
    if (parent?.status !== 'active') throw new Unauthorized('Unknown or revoked API key');
  }
  return { accountId: stored.accountId, keyId: stored.keyId, account };
}
