import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { statusCallbacksFromEnv } from '#adapters/callbacks/status-callbacks';
import { makeCarrier } from '#adapters/carrier';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeDynamoReplyRoutes } from '#adapters/dynamodb/inbound-repository';
import { makeSqsClient } from '#adapters/sqs/client';
import { backoffSeconds, retryAfter } from '#adapters/sqs/visibility';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { sqsConsumer } from '#http/sqs-consumer';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { systemClock } from '#ports/clock';
import { CarrierThrottled, type SubmitMessageDeps, submitMessage } from '#use-cases/submit-message';

const SendJob = z.object({
  accountId: z.string().min(1),
  messageId: z.string().min(1),
  notBefore: z.iso.datetime().optional(),
});

const sqs = makeSqsClient();
const table = makeTableAdapters();
/** Batch statuses change rarely (stop): a short per-container cache spares a read per message. */
const batchStatuses = new Map<string, { status: string | undefined; until: number }>();
const deps: SubmitMessageDeps = {
  messages: table.messages,
  carrier: await makeCarrier(),
  clock: systemClock,
  ids: cryptoIds,
  batchStatus: async (accountId, batchId) => {
    const cached = batchStatuses.get(batchId);
    if (cached && cached.until > Date.now()) return cached.status;
    const status = (await table.batches.get(accountId, batchId))?.status;
    batchStatuses.set(batchId, { status, until: Date.now() + 2_000 });
    return status;
  },
  batchProgress: (accountId, batchId, outcome) =>
    table.batches.addProgress(accountId, batchId, { [outcome]: 1 }),
  statusChanged: statusCallbacksFromEnv(sqs),
  replyRoutes: makeDynamoReplyRoutes({ client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME }),
};

/** A job due within this long waits in the function instead of going back to the queue. */
const MAX_WAIT_IN_PLACE_MS = 1_500;

/** Not an error of the message: the job is put back until its time (reported as a batch item failure). */
class NotYetDue extends Error {
  constructor(notBefore: string) {
    super(`Scheduled for ${notBefore}`);
    this.name = 'NotYetDue';
  }
}

async function processRecord(record: SQSRecord): Promise<void> {
  const job = SendJob.safeParse(JSON.parse(record.body));
  if (!job.success) {
    // A malformed job can never succeed: log it and let it go rather than loop to the DLQ.
    logger.error('Malformed send job dropped', { body: record.body });
    return;
  }
  const due = job.data.notBefore ? Date.parse(job.data.notBefore) - Date.now() : 0;
  if (due > MAX_WAIT_IN_PLACE_MS) {
    // Not yet due (scheduled, or paced later): back into the queue until then (at most 12 h per hop).
    await retryAfter(sqs, record, Math.min(43_200, Math.floor(due / 1000)));
    throw new NotYetDue(job.data.notBefore ?? '');
  }
  // Pacing is finer than SQS's one-second delays: wait out the last fraction here.
  if (due > 0) await new Promise((resolve) => setTimeout(resolve, due));
  try {
    const outcome = await submitMessage(deps, job.data);
    metrics.addMetric(`Message${outcome[0]?.toUpperCase()}${outcome.slice(1)}`, 'Count', 1);
  } catch (error) {
    const seconds = error instanceof CarrierThrottled ? error.retryAfterSeconds : backoffSeconds(record);
    await retryAfter(sqs, record, seconds);
    throw error;
  }
}

/** Send-queue consumer: one use-case call per record, partial batch failures reported to SQS. */
export const handler = sqsConsumer(processRecord);
