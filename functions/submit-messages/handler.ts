import type { SQSRecord } from 'aws-lambda';
import { z } from 'zod';
import { statusCallbacksFromEnv } from '#adapters/callbacks/status-callbacks';
import { makeCarrier } from '#adapters/carrier';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeDynamoReplyRoutes } from '#adapters/dynamodb/inbound-repository';
import { makeDynamoLinkRepository } from '#adapters/dynamodb/link-repository';
import { makeSqsClient } from '#adapters/sqs/client';
import { backoffSeconds, retryAfter } from '#adapters/sqs/visibility';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { MAX_CLIENT_REFERENCE } from '#domain/batch/batch';
import { sqsConsumer } from '#http/sqs-consumer';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { systemClock } from '#ports/clock';
import { makeProgressTally } from '#use-cases/batches/progress-tally';
import { CarrierThrottled, type SubmitMessageDeps, submitMessage } from '#use-cases/submit-message';

const BatchJobMessage = z.object({
  batchId: z.string().min(1),
  to: z.string().min(1),
  from: z.string().min(1),
  text: z.string().min(1),
  encoding: z.enum(['GSM-7', 'UCS-2']),
  parts: z.number().int().min(1),
  cost: z.number().int().min(0),
  fundedBy: z.string().min(1),
  queuedAt: z.iso.datetime(),
  validitySeconds: z.number().int().positive().optional(),
  callbackUrl: z.string().max(2048).optional(),
  generation: z.number().int().min(0).optional(),
  // A batch row's own (`shared/use-cases/batches/row-processor.ts`): absent for plain rows.
  clientReference: z.string().max(MAX_CLIENT_REFERENCE).optional(),
  report: z.object({ url: z.string().max(2048), mask: z.number().int().min(0).max(31) }).optional(),
});
const SendJob = z.object({
  accountId: z.string().min(1),
  messageId: z.string().min(1),
  notBefore: z.iso.datetime().optional(),
  message: BatchJobMessage.optional(),
});

const sqs = makeSqsClient();
const table = makeTableAdapters();
/** A batch's state, read once per batch per invocation (a stop, pause or resume is seen by the next one). */
let batchStates = new Map<string, Promise<{ status: string; sendGeneration: number } | undefined>>();
function batchState(accountId: string, batchId: string) {
  let state = batchStates.get(batchId);
  if (!state) {
    state = table.batches
      .get(accountId, batchId)
      .then((b) => b && { status: b.status, sendGeneration: b.sendGeneration ?? 0 });
    state.catch(() => batchStates.delete(batchId));
    batchStates.set(batchId, state);
  }
  return state;
}
const tally = makeProgressTally(table.batches.addProgress);
const tableOptions = { client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME };
const deps: SubmitMessageDeps = {
  messages: table.messages,
  carrier: await makeCarrier(),
  clock: systemClock,
  ids: cryptoIds,
  batchStatus: async (accountId, batchId) => (await batchState(accountId, batchId))?.status,
  batchState,
  batchProgress: async (accountId, batchId, outcome) => tally.add(accountId, batchId, outcome),
  statusChanged: statusCallbacksFromEnv(sqs),
  replyRoutes: makeDynamoReplyRoutes(tableOptions),
  links: makeDynamoLinkRepository(tableOptions),
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

/** A queue message holds one job, or several of one batch due within the same second (`{ jobs }`). */
const SendJobs = z.union([
  z.object({ jobs: z.array(SendJob).min(1) }),
  SendJob.transform((job) => ({ jobs: [job] })),
]);

/**
 * The jobs of one queue message, each at its own moment and at the planned spacing. When one fails,
 * the whole message comes back: the jobs already handled are claimed (their items exist), so a second
 * pass never sends them twice.
 */
async function processRecord(record: SQSRecord): Promise<void> {
  const parsed = SendJobs.safeParse(JSON.parse(record.body));
  if (!parsed.success) {
    // A malformed job can never succeed: log it and let it go rather than loop to the DLQ.
    logger.error('Malformed send job dropped', { body: record.body });
    return;
  }
  const { jobs } = parsed.data;
  const latest = Math.max(...jobs.map((job) => (job.notBefore ? Date.parse(job.notBefore) : 0)));
  const first = Math.min(...jobs.map((job) => (job.notBefore ? Date.parse(job.notBefore) : 0)));
  if (first - Date.now() > MAX_WAIT_IN_PLACE_MS) {
    // Not yet due (scheduled, or paced later): back into the queue until then (at most 12 h per hop).
    await retryAfter(sqs, record, Math.min(43_200, Math.floor((first - Date.now()) / 1000)));
    throw new NotYetDue(new Date(first).toISOString());
  }
  if (latest - Date.now() > MAX_WAIT_IN_PLACE_MS + 1_000) {
    logger.warn('Send jobs packed more than a second apart', { first, latest });
  }
  // Each job starts at its moment, but never sooner after the previous one than planned: a pack that
  // arrives late is sent at the planned spacing, not all at once (no catch-up burst past the pacing).
  // Jobs run side by side (a slow carrier call does not hold the next one back).
  const running: Promise<void>[] = [];
  let previous: { planned: number; started: number } | undefined;
  for (const job of jobs) {
    const planned = job.notBefore ? Date.parse(job.notBefore) : Date.now();
    const at = previous ? Math.max(planned, previous.started + (planned - previous.planned)) : planned;
    if (at > Date.now()) await new Promise((resolve) => setTimeout(resolve, at - Date.now()));
    previous = { planned, started: Date.now() };
    running.push(
      submitMessage(deps, job).then((outcome) => {
        metrics.addMetric(`Message${outcome[0]?.toUpperCase()}${outcome.slice(1)}`, 'Count', 1);
      }),
    );
  }
  const results = await Promise.allSettled(running);
  const failures = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as unknown] : []));
  if (failures.length === 0) return;
  const throttled = failures.filter((e): e is CarrierThrottled => e instanceof CarrierThrottled);
  const seconds =
    throttled.length === failures.length
      ? Math.max(...throttled.map((e) => e.retryAfterSeconds))
      : backoffSeconds(record);
  await retryAfter(sqs, record, seconds);
  throw failures[0];
}

/** Send-queue consumer: one use-case call per job, partial batch failures reported to SQS. */
export const handler = sqsConsumer(processRecord, {
  beforeBatch: () => {
    batchStates = new Map();
  },
  afterBatch: async () => {
    for (const error of await tally.flush()) logger.error('Batch progress not counted', { error });
  },
});
