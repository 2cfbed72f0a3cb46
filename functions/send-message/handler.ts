import { createHash } from 'node:crypto';
import { statusCallbacksFromEnv } from '#adapters/callbacks/status-callbacks';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeSqsClient } from '#adapters/sqs/client';
import { makeSqsSendQueue } from '#adapters/sqs/queues';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, SendQueueEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { ValidationFailed } from '#domain/errors';
import { customerRoute } from '#http/api-handler';
import { json } from '#http/json';
import { messageView } from '#http/presenters';
import { systemClock } from '#ports/clock';
import { type SendMessageDeps, sendMessage } from '#use-cases/send-message';
import { IDEMPOTENCY_KEY, SendMessageRequest } from './schema';

const env = loadEnv(SendQueueEnv);
const table = makeTableAdapters();
const platformEnv = loadEnv(PlatformEnv);
const { priceLists } = makePlatformAdapters(undefined, {
  client: table.client,
  priceListCacheSeconds: platformEnv.PRICE_LIST_CACHE_SECONDS,
});
const sqs = makeSqsClient();
const deps: SendMessageDeps = {
  ...table,
  sendQueue: makeSqsSendQueue({ client: sqs, queueUrl: env.SEND_QUEUE_URL }),
  statusChanged: statusCallbacksFromEnv(sqs),
  prices: priceLists,
  ...(platformEnv.PLATFORM_DEFAULT_SENDER ? { platformSender: platformEnv.PLATFORM_DEFAULT_SENDER } : {}),
  clock: systemClock,
  ids: cryptoIds,
};

export const handler = customerRoute(
  { authenticate: table.authenticate, body: SendMessageRequest },
  async (event) => {
    const request = event.parsed;
    const key = event.headers['idempotency-key'];
    if (key !== undefined && !IDEMPOTENCY_KEY.safeParse(key).success) {
      throw new ValidationFailed('Idempotency-Key must be 1-128 printable ASCII characters');
    }
    const message = await sendMessage(deps, {
      accountId: event.caller.accountId,
      to: request.to,
      text: request.text ?? '',
      ...(request.templateId === undefined
        ? {}
        : { template: { id: request.templateId, fields: request.fields ?? {} } }),
      ...(request.from === undefined ? {} : { from: request.from }),
      ...(request.smartEncoding === undefined ? {} : { smartEncoding: request.smartEncoding }),
      ...(request.scheduleAt === undefined ? {} : { scheduleAt: new Date(request.scheduleAt) }),
      ...(request.callbackUrl === undefined ? {} : { callbackUrl: request.callbackUrl }),
      ...(key === undefined
        ? {}
        : {
            idempotency: {
              key,
              requestHash: createHash('sha256').update(JSON.stringify(request)).digest('hex'),
            },
          }),
    });
    return json(202, messageView(message));
  },
);
