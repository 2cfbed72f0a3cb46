import type { SQSRecord } from 'aws-lambda';
import { makeHttpCallbackPoster } from '#adapters/callbacks/http-callback-poster';
import { signWebhook } from '#adapters/carrier-sim/webhook-signature';
import { makeDynamoCallbackSettingsRepository } from '#adapters/dynamodb/callback-settings-repository';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { makeSqsClient } from '#adapters/sqs/client';
import { backoffSeconds, retryAfter } from '#adapters/sqs/visibility';
import { CallbackDispatchEnv } from '#config/callback-env';
import { loadEnv, TableEnv } from '#config/env';
import type { CallbackJob } from '#domain/callbacks/callback';
import { sqsConsumer } from '#http/sqs-consumer';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { systemClock } from '#ports/clock';
import { type DispatchCallbackDeps, dispatchCallback } from '#use-cases/callbacks/dispatch-callback';

const env = loadEnv(CallbackDispatchEnv.and(TableEnv));
const sqs = makeSqsClient();
const settings = makeDynamoCallbackSettingsRepository({
  client: makeDocumentClient(),
  tableName: env.TABLE_NAME,
});

/** Secrets cached a minute per container: a rotation reaches every dispatcher within that. */
const SECRET_CACHE_MS = 60_000;
const secrets = new Map<string, { value: string | undefined; until: number }>();
async function secretOf(accountId: string): Promise<string | undefined> {
  const cached = secrets.get(accountId);
  if (cached && cached.until > Date.now()) return cached.value;
  // A send's own callbackUrl may come before the account ever set one: its secret is created here.
  const value = (await settings.secret(accountId)) ?? (await settings.ensureSecret(accountId));
  secrets.set(accountId, { value, until: Date.now() + SECRET_CACHE_MS });
  return value;
}

const deps: DispatchCallbackDeps = {
  poster: makeHttpCallbackPoster({
    timeoutMs: env.CALLBACK_TIMEOUT_MS,
    allowPrivateHosts: env.CALLBACKS_ALLOW_PRIVATE_HOSTS,
  }),
  clock: systemClock,
  secretOf,
  sign: signWebhook,
};

/** A callback the customer's endpoint did not take (yet): retried through the queue. */
class CallbackNotAccepted extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'CallbackNotAccepted';
  }
}

/** Longest wait between two attempts of one callback. */
const MAX_BACKOFF_SECONDS = 900;

async function processRecord(record: SQSRecord): Promise<void> {
  let job: CallbackJob;
  try {
    job = JSON.parse(record.body) as CallbackJob;
  } catch (error) {
    logger.error('Unreadable callback job dropped', { error: error as Error });
    return;
  }
  const attempt = await dispatchCallback(deps, job);
  if (attempt.ok) {
    metrics.addMetric('CallbackDelivered', 'Count', 1);
    return;
  }
  metrics.addMetric('CallbackFailed', 'Count', 1);
  // The URL's host only: query strings may carry the customer's tokens.
  logger.warn('Callback not accepted; will retry', {
    host: new URL(job.url).host,
    eventId: job.eventId,
    status: attempt.status,
    error: attempt.error,
    receives: record.attributes.ApproximateReceiveCount,
  });
  await retryAfter(sqs, record, backoffSeconds(record, MAX_BACKOFF_SECONDS));
  throw new CallbackNotAccepted(attempt.error);
}

/**
 * Callback-queue consumer: each job is one HTTP call (signed with the account's secret when asked).
 * A failure comes back after 1, 2, 4 … s up to 15 min; after the queue's maxReceiveCount it goes to the DLQ.
 */
export const handler = sqsConsumer(processRecord);
