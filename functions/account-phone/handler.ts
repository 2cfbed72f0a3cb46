import { z } from 'zod';
import { statusCallbacksFromEnv } from '#adapters/callbacks/status-callbacks';
import { cryptoIds, numericCode, sha256Hasher } from '#adapters/crypto/ids';
import { makeDynamoPhoneVerificationRepository } from '#adapters/dynamodb/phone-verification-repository';
import { makeSqsClient } from '#adapters/sqs/client';
import { makeSqsSendQueue } from '#adapters/sqs/queues';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, SendQueueEnv, TableEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { accountView } from '#http/presenters';
import { systemClock } from '#ports/clock';
import {
  type PhoneVerificationDeps,
  requestPhoneVerification,
  verifyPhone,
} from '#use-cases/phone-verification';

const PhoneRequest = z.object({ number: z.string().trim().min(1).max(32) });
const VerifyRequest = z.object({
  code: z
    .string()
    .trim()
    .regex(/^\d{6}$/, 'the 6-digit code from the SMS'),
});

const table = makeTableAdapters();
const platformEnv = loadEnv(PlatformEnv);
const sqs = makeSqsClient();
const deps: PhoneVerificationDeps = {
  ...table,
  verifications: makeDynamoPhoneVerificationRepository({
    client: table.client,
    tableName: loadEnv(TableEnv).TABLE_NAME,
  }),
  sendQueue: makeSqsSendQueue({ client: sqs, queueUrl: loadEnv(SendQueueEnv).SEND_QUEUE_URL }),
  statusChanged: statusCallbacksFromEnv(sqs),
  prices: makePlatformAdapters(undefined, {
    client: table.client,
    priceListCacheSeconds: platformEnv.PRICE_LIST_CACHE_SECONDS,
  }).priceLists,
  ...(platformEnv.PLATFORM_DEFAULT_SENDER ? { platformSender: platformEnv.PLATFORM_DEFAULT_SENDER } : {}),
  clock: systemClock,
  ids: cryptoIds,
  hasher: sha256Hasher,
  newCode: () => numericCode(6),
};

/** `/v1/account/phone*`: the caller proves a mobile number of its own with a code sent to it by SMS. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'PUT /v1/account/phone': async (event) =>
      json(202, await requestPhoneVerification(deps, event.caller, parseBody(event, PhoneRequest))),
    'POST /v1/account/phone/verify': async (event) =>
      json(200, accountView(await verifyPhone(deps, event.caller, parseBody(event, VerifyRequest)))),
  },
);
