import { loadEnv, TableEnv } from '#config/env';
import { authenticateApiKey } from '#use-cases/accounts';
import { sha256Hasher } from './crypto/ids';
import { makeDynamoAccountRepository } from './dynamodb/account-repository';
import { makeDynamoApiKeyRepository } from './dynamodb/api-key-repository';
import { makeDynamoBlocklistRepository } from './dynamodb/blocklist-repository';
import { makeDocumentClient } from './dynamodb/client';
import { makeDynamoMessageRepository } from './dynamodb/message-repository';

/**
 * The table's repositories, built once per cold start from TABLE_NAME. Handlers call this at module
 * scope (composition root); use cases only ever see the ports.
 */
export function makeTableAdapters(env = loadEnv(TableEnv)) {
  const client = makeDocumentClient();
  const options = { client, tableName: env.TABLE_NAME };
  const accounts = makeDynamoAccountRepository(options);
  const keys = makeDynamoApiKeyRepository(options);
  return {
    accounts,
    keys,
    messages: makeDynamoMessageRepository(options),
    blocklist: makeDynamoBlocklistRepository(options),
    /** `Authorization` header → caller, for `customerRoute`. */
    authenticate: (authorization: string | undefined) =>
      authenticateApiKey({ keys, accounts, hasher: sha256Hasher }, authorization),
  };
}
