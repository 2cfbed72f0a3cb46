import type { SQSRecord } from 'aws-lambda';
import { statusCallbacksFromEnv } from '#adapters/callbacks/status-callbacks';
import { cryptoIds } from '#adapters/crypto/ids';
import { parseEumDeliveryEvent } from '#adapters/eum-sms/delivery-event';
import { makeSqsClient } from '#adapters/sqs/client';
import { backoffSeconds, retryAfter } from '#adapters/sqs/visibility';
import { makeTableAdapters } from '#adapters/table-adapters';
import { sqsConsumer } from '#http/sqs-consumer';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import type { DeliveryReport } from '#ports/carrier-gateway';
import { systemClock } from '#ports/clock';
import { applyDeliveryReport } from '#use-cases/apply-delivery-report';
import { makeProgressTally } from '#use-cases/batches/progress-tally';

const sqs = makeSqsClient();
const table = makeTableAdapters();
const tally = makeProgressTally(table.batches.addProgress);
const deps = {
  messages: table.messages,
  ids: cryptoIds,
  clock: systemClock,
  batchOutcome: async (accountId: string, batchId: string, outcome: 'delivered' | 'failed') =>
    tally.add(accountId, batchId, outcome),
  statusChanged: statusCallbacksFromEnv(sqs),
};
/** Reports of one queue message applied at once (a batched webhook carries up to 500). */
const CONCURRENCY = 16;

/**
 * A DLR-queue body is one webhook request our webhook verified — `{ kind: 'reports', reports }` (a
 * carrier posting reports in arrays) or `{ kind: 'report', report }` (one) — or an AWS End User
 * Messaging event delivered by its SNS event destination.
 */
function reportsOf(body: string): DeliveryReport[] {
  const value = JSON.parse(body) as { kind?: string; report?: DeliveryReport; reports?: DeliveryReport[] };
  if (value.kind === 'reports' && Array.isArray(value.reports)) return value.reports;
  if (value.kind === 'report' && value.report) return [value.report];
  const eum = parseEumDeliveryEvent(body);
  return eum ? [eum] : [];
}

async function apply(report: DeliveryReport): Promise<void> {
  const outcome = await applyDeliveryReport(deps, report);
  if (outcome === 'unknown-message') logger.warn('Delivery report for an unknown message', { report });
  metrics.addMetric('DeliveryReportApplied', 'Count', 1);
}

async function processRecord(record: SQSRecord): Promise<void> {
  let reports: DeliveryReport[];
  try {
    reports = reportsOf(record.body);
  } catch (error) {
    logger.error('Unreadable delivery report dropped', { error: error as Error, body: record.body });
    return;
  }
  const queue = [...reports];
  const failures: unknown[] = [];
  const worker = async () => {
    for (let report = queue.shift(); report; report = queue.shift()) {
      try {
        await apply(report);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(CONCURRENCY, reports.length) }, worker));
  if (failures.length > 0) {
    // The whole queue message comes back: reports already applied are idempotent (nothing moves twice).
    await retryAfter(sqs, record, backoffSeconds(record));
    throw failures[0];
  }
}

/** DLR-queue consumer: monotonic, idempotent status updates; partial batch failures. */
export const handler = sqsConsumer(processRecord, {
  afterBatch: async () => {
    for (const error of await tally.flush()) logger.error('Batch progress not counted', { error });
  },
});
