import { NotFound } from '#domain/errors';
import type { ApiKeyRepository } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator, SecretHasher } from '#ports/ids';
import { type Caller, newApiKey } from './accounts';

export interface ApiKeyDeps {
  readonly keys: ApiKeyRepository;
  readonly ids: IdGenerator;
  readonly hasher: SecretHasher;
  readonly clock: Clock;
}

/** A new key for the caller's own account; the key itself is in this answer only, never again. */
export async function createApiKey(deps: ApiKeyDeps, caller: Caller, name?: string) {
  const key = newApiKey(deps, caller.accountId, name);
  await deps.keys.put(key.record);
  return { ...key.record, apiKey: key.apiKey };
}

/** The caller's keys, without secrets or hashes. */
export async function listApiKeys(deps: Pick<ApiKeyDeps, 'keys'>, caller: Caller) {
  const keys = await deps.keys.list(caller.accountId);
  return keys.map(({ secretHash: _, ...key }) => key);
}

/** Revokes one of the caller's keys at once (authentication reads keys consistently). */
export async function revokeApiKey(
  deps: Pick<ApiKeyDeps, 'keys'>,
  caller: Caller,
  keyId: string,
): Promise<void> {
  if (!(await deps.keys.revoke(caller.accountId, keyId))) throw new NotFound('API key not found');
}
