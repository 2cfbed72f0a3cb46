import type { SQSRecord } from 'aws-lambda';
import {
  makeDynamoInboundRepository,
  makeDynamoReplyRoutes,
  makeDynamoUnmatchedInbound,
} from '#adapters/dynamodb/inbound-repository';
import { makeSqsCallbackQueue } from '#adapters/sqs/callback-queues';
import { makeSqsClient } from '#adapters/sqs/client';
import { backoffSeconds, retryAfter } from '#adapters/sqs/visibility';
import { makeTableAdapters } from '#adapters/table-adapters';
import { CallbackQueueEnv } from '#config/callback-env';
import { loadEnv, TableEnv } from '#config/env';
import { DEFAULT_ACCOUNT_SETTINGS } from '#domain/account/account';
import type { ReceivedMo } from '#domain/inbound/inbound-message';
import { sqsConsumer } from '#http/sqs-consumer';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { type ReceiveInboundDeps, receiveInbound } from '#use-cases/inbound/receive-inbound';

const env = loadEnv(CallbackQueueEnv.and(TableEnv));
const sqs = makeSqsClient();
const table = makeTableAdapters(env);
const options = { client: table.client, tableName: env.TABLE_NAME };
const deps: ReceiveInboundDeps = {
  routes: makeDynamoReplyRoutes(options),
  inbound: makeDynamoInboundRepository(options),
  accounts: table.accounts,
  callbacks: makeSqsCallbackQueue({ client: sqs, queueUrl: env.CALLBACK_QUEUE_URL }),
  unmatched: makeDynamoUnmatchedInbound(options),
  defaultCountry: DEFAULT_ACCOUNT_SETTINGS.country,
};

async function processRecord(record: SQSRecord): Promise<void> {
  let mo: ReceivedMo | undefined;
  try {
    mo = (JSON.parse(record.body) as { kind?: string; mo?: ReceivedMo }).mo;
  } catch (error) {
    logger.error('Unreadable inbound message dropped', { error: error as Error });
    return;
  }
  if (!mo) return;
  try {
    const outcome = await receiveInbound(deps, mo);
    // Who replied is personal data: log the carrier id only.
    if (outcome === 'unrouted')
      logger.warn('Inbound message with no account to route to, kept for the operator', {
        carrierId: mo.carrierId,
      });
    metrics.addMetric(outcome === 'unrouted' ? 'InboundUnrouted' : 'InboundStored', 'Count', 1);
  } catch (error) {
    await retryAfter(sqs, record, backoffSeconds(record));
    throw error;
  }
}

/** Inbound-queue consumer: routes each reply to its account, stores it, applies opt-outs, forwards it. */
export const handler = sqsConsumer(processRecord);
