import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { loadEnv, TableEnv } from '#config/env';
import { authenticateApiKey } from '#use-cases/accounts';
import { enforceRateLimit } from '#use-cases/rate-limit';
import { sha256Hasher } from './crypto/ids';
import { makeDynamoAccountBlocklistRepository } from './dynamodb/account-blocklist-repository';
import { makeDynamoAccountRepository } from './dynamodb/account-repository';
import { makeDynamoApiKeyRepository } from './dynamodb/api-key-repository';
import { makeDynamoBatchRepository } from './dynamodb/batch-repository';
import { makeDynamoBlocklistImportRepository } from './dynamodb/blocklist-import-repository';
import { makeDynamoBlocklistRepository } from './dynamodb/blocklist-repository';
import { makeDocumentClient } from './dynamodb/client';
import { makeDynamoContactGroupRepository } from './dynamodb/contact-group-repository';
import { makeDynamoGlobalBlocklistRepository } from './dynamodb/global-blocklist-repository';
import { makeDynamoMessageRepository } from './dynamodb/message-repository';
import { makeDynamoPriceListRepository } from './dynamodb/price-list-repository';
import { makeDynamoRateLimiter } from './dynamodb/rate-limiter';
import { makeDynamoSenderIdRequestRepository } from './dynamodb/sender-id-request-repository';
import { makeDynamoTemplateRepository } from './dynamodb/template-repository';

/**
 * The table's repositories, built once per cold start from TABLE_NAME. Handlers call this at module
 * scope (composition root); use cases only ever see the ports.
 */
export function makeTableAdapters(env = loadEnv(TableEnv)) {
  const client = makeDocumentClient();
  const options = { client, tableName: env.TABLE_NAME };
  const accounts = makeDynamoAccountRepository(options);
  const keys = makeDynamoApiKeyRepository(options);
  const rateLimiter = makeDynamoRateLimiter(options);
  return {
    client,
    accounts,
    keys,
    messages: makeDynamoMessageRepository(options),
    batches: makeDynamoBatchRepository(options),
    blocklist: makeDynamoBlocklistRepository(options),
    templates: makeDynamoTemplateRepository(options),
    accountBlocklist: makeDynamoAccountBlocklistRepository(options),
    contactGroups: makeDynamoContactGroupRepository(options),
    blocklistImports: makeDynamoBlocklistImportRepository(options),
    /**
     * `Authorization` header → caller, for `customerRoute`: a valid, active key, then one request from
     * the account's per-second allowance (429 `RATE_LIMITED` beyond it).
     */
    authenticate: async (authorization: string | undefined) => {
      const caller = await authenticateApiKey({ keys, accounts, hasher: sha256Hasher }, authorization);
      await enforceRateLimit(rateLimiter, caller.account);
      return caller;
    },
  };
}

/**
 * The operator-side repositories: price lists, sender id requests, the global blocklist and the
 * request rate limiter. Built only by the functions that need them (their own document client: the
 * SDK client is cheap to create and shares nothing with `makeTableAdapters`'s).
 */
export function makePlatformAdapters(
  env = loadEnv(TableEnv),
  options: { priceListCacheSeconds?: number; client?: DynamoDBDocumentClient } = {},
) {
  const client = options.client ?? makeDocumentClient();
  const table = { client, tableName: env.TABLE_NAME };
  return {
    priceLists: makeDynamoPriceListRepository({
      ...table,
      ...(options.priceListCacheSeconds === undefined ? {} : { cacheSeconds: options.priceListCacheSeconds }),
    }),
    senderRequests: makeDynamoSenderIdRequestRepository(table),
    globalBlocklist: makeDynamoGlobalBlocklistRepository(table),
    rateLimiter: makeDynamoRateLimiter(table),
  };
}
