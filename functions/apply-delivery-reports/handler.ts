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
import { applyDeliveryReport } from '#use-cases/apply-delivery-report';

const sqs = makeSqsClient();
const table = makeTableAdapters();
const deps = {
  messages: table.messages,
  ids: cryptoIds,
  batchOutcome: (accountId: string, batchId: string, outcome: 'delivered' | 'failed') =>
    table.batches.addProgress(accountId, batchId, { [outcome]: 1 }),
  statusChanged: statusCallbacksFromEnv(sqs),
};

/**
 * A DLR-queue body is either a report our webhook verified (`{ kind: 'report', report }`) or an
 * AWS End User Messaging event delivered by its SNS event destination.
 */
function reportOf(body: string): DeliveryReport | null {
  const value = JSON.parse(body) as { kind?: string; report?: DeliveryReport };
  if (value.kind === 'report' && value.report) return value.report;
  return parseEumDeliveryEvent(body);
}

async function processRecord(record: SQSRecord): Promise<void> {
  let report: DeliveryReport | null;
  try {
    report = reportOf(record.body);
  } catch (error) {
    logger.error('Unreadable delivery report dropped', { error: error as Error, body: record.body });
    return;
  }
  if (!report) return;
  try {
    const outcome = await applyDeliveryReport(deps, report);
    if (outcome === 'unknown-message') logger.warn('Delivery report for an unknown message', { report });
    metrics.addMetric('DeliveryReportApplied', 'Count', 1);
  } catch (error) {
    await retryAfter(sqs, record, backoffSeconds(record));
    throw error;
  }
}

/** DLR-queue consumer: monotonic, idempotent status updates; partial batch failures. */
export const handler = sqsConsumer(processRecord);
