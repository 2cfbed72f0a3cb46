import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeFileAdapters } from '#adapters/batch-adapters';
import { statusCallbacksFromEnv } from '#adapters/callbacks/status-callbacks';
import { makeCarrier } from '#adapters/carrier';
import { cachedPasswords } from '#adapters/crypto/cached-passwords';
import { cryptoIds, sha256Hasher } from '#adapters/crypto/ids';
import { scryptPasswords } from '#adapters/crypto/password';
import { makeDynamoInboundRepository } from '#adapters/dynamodb/inbound-repository';
import { makeDynamoLinkRepository } from '#adapters/dynamodb/link-repository';
import { makeDynamoReportSources } from '#adapters/dynamodb/report-sources';
import { makeEventBridgeBatchScheduler } from '#adapters/scheduler/batch-scheduler';
import { makeSfnWorkflowStarter } from '#adapters/sfn/workflow-starter';
import { makeSqsCallbackQueue } from '#adapters/sqs/callback-queues';
import { makeSqsClient } from '#adapters/sqs/client';
import { makeSqsSendQueue } from '#adapters/sqs/queues';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { CallbackQueueEnv } from '#config/callback-env';
import { loadEnv, SchedulerEnv, SendQueueEnv, TableEnv, WorkflowEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import type { SendsmsDeps } from '#http/sendsms/context';
import { handleSendsms } from '#http/sendsms/dispatch';
import { httpAnswer } from '#http/sendsms/response';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';
import type { CarrierGateway } from '#ports/carrier-gateway';
import { systemClock } from '#ports/clock';

const platformEnv = loadEnv(PlatformEnv);
const workflowEnv = loadEnv(WorkflowEnv);
const schedulerEnv = loadEnv(SchedulerEnv);
const table = makeTableAdapters();
const sqs = makeSqsClient();
let carrier: Promise<CarrierGateway> | undefined;
const tableOptions = { client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME };
const platform = makePlatformAdapters(undefined, {
  client: table.client,
  priceListCacheSeconds: platformEnv.PRICE_LIST_CACHE_SECONDS,
});
const deps: SendsmsDeps = {
  ...table,
  ...makeFileAdapters(),
  links: makeDynamoLinkRepository(tableOptions),
  inbound: makeDynamoInboundRepository(tableOptions),
  sources: makeDynamoReportSources(tableOptions),
  // The carrier adapter (and its secret) only on the first lookup: most requests never need it.
  lookup: async (number) => {
    carrier ??= makeCarrier();
    const gateway = await carrier;
    return gateway.lookup ? gateway.lookup(number) : undefined;
  },
  workflows: makeSfnWorkflowStarter({
    arns: {
      ...(workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN
        ? { analyseBatch: workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN }
        : {}),
      ...(workflowEnv.SEND_BATCH_WORKFLOW_ARN ? { sendBatch: workflowEnv.SEND_BATCH_WORKFLOW_ARN } : {}),
      ...(workflowEnv.PURGE_CONTACT_GROUP_WORKFLOW_ARN
        ? { purgeContactGroup: workflowEnv.PURGE_CONTACT_GROUP_WORKFLOW_ARN }
        : {}),
    },
  }),
  scheduler: makeEventBridgeBatchScheduler({
    group: schedulerEnv.SCHEDULER_GROUP,
    roleArn: schedulerEnv.SCHEDULER_ROLE_ARN,
    sendWorkflowArn: workflowEnv.SEND_BATCH_WORKFLOW_ARN ?? '',
  }),
  sendQueue: makeSqsSendQueue({ client: sqs, queueUrl: loadEnv(SendQueueEnv).SEND_QUEUE_URL }),
  statusChanged: statusCallbacksFromEnv(sqs),
  callbacks: makeSqsCallbackQueue({ client: sqs, queueUrl: loadEnv(CallbackQueueEnv).CALLBACK_QUEUE_URL }),
  prices: platform.priceLists,
  rateLimiter: platform.rateLimiter,
  ...(platformEnv.PLATFORM_DEFAULT_SENDER ? { platformSender: platformEnv.PLATFORM_DEFAULT_SENDER } : {}),
  clock: systemClock,
  ids: cryptoIds,
  hasher: sha256Hasher,
  passwords: cachedPasswords(scryptPasswords),
};

/**
 * `GET|POST /json`: the sendSMS-compatible API. Always HTTP 200 with `{ status, message, details }`
 * (the upstream's design, which its plugins parse); no `httpErrors()` middleware, since every error is
 * an upstream status code. The event is never logged: its query string carries the credentials.
 */
export const handler = middy(async (event: APIGatewayProxyEventV2) =>
  httpAnswer(await handleSendsms(deps, event)),
)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
