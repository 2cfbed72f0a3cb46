import { loadEnv, SendQueueEnv, TableEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { systemClock } from '#ports/clock';
import { makeFileAdapters, makeFileStore } from './batch-adapters';
import { cryptoIds } from './crypto/ids';
import { makeDynamoSendWindows } from './dynamodb/send-windows';
import { makeSqsClient } from './sqs/client';
import { makeSqsSendQueue } from './sqs/queues';
import { makePlatformAdapters, makeTableAdapters } from './table-adapters';

/**
 * What the batch workflow tasks need, built once per cold start. Each task function imports only the
 * builder it needs, so a task never gets an environment (or a grant) it does not use.
 */
export function makeAnalysisDeps() {
  const table = makeTableAdapters();
  const platform = loadEnv(PlatformEnv);
  const { priceLists } = makePlatformAdapters(undefined, {
    client: table.client,
    priceListCacheSeconds: platform.PRICE_LIST_CACHE_SECONDS,
  });
  return {
    ...table,
    prices: priceLists,
    ...makeFileAdapters(),
    // A row's sender column may name it, as a single send's `from` may.
    ...(platform.PLATFORM_DEFAULT_SENDER ? { platformSender: platform.PLATFORM_DEFAULT_SENDER } : {}),
  };
}

export function makeSendDeps(withQueue: boolean) {
  const table = makeTableAdapters();
  const sendQueue = withQueue
    ? makeSqsSendQueue({ client: makeSqsClient(), queueUrl: loadEnv(SendQueueEnv).SEND_QUEUE_URL })
    : { enqueue: async () => Promise.reject(new Error('This task does not enqueue')) };
  return {
    batches: table.batches,
    accounts: table.accounts,
    messages: table.messages,
    windows: makeDynamoSendWindows({ client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME }),
    sendQueue,
    ids: cryptoIds,
    clock: systemClock,
    files: makeFileStore(),
  };
}

/** What settle-batch and fail-batch need: the batch, its messages (the sweep), prices and chunks. */
export function makeSettleDeps(table = makeTableAdapters()) {
  const { priceLists } = makePlatformAdapters(undefined, {
    client: table.client,
    priceListCacheSeconds: loadEnv(PlatformEnv).PRICE_LIST_CACHE_SECONDS,
  });
  return {
    batches: table.batches,
    messages: table.messages,
    accounts: table.accounts,
    prices: priceLists,
    files: makeFileStore(),
    ids: cryptoIds,
    clock: systemClock,
  };
}
