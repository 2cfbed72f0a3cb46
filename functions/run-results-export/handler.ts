import type { SQSRecord } from 'aws-lambda';
import { makeFileStore } from '#adapters/batch-adapters';
import { makeDynamoResultsExportRepository } from '#adapters/dynamodb/results-export-repository';
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { sqsConsumer } from '#http/sqs-consumer';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { systemClock } from '#ports/clock';
import type { ExportJob } from '#ports/results-exports';
import { QUEUES } from '#topology/queues';
import { type RunExportDeps, runResultsExport } from '#use-cases/batches/run-results-export';

const env = loadEnv(TableEnv);
const table = makeTableAdapters(env);
const deps: RunExportDeps = {
  batches: table.batches,
  messages: table.messages,
  files: makeFileStore(),
  exports: makeDynamoResultsExportRepository({ client: table.client, tableName: env.TABLE_NAME }),
  writers: { csv: csvWriter, xlsx: makeXlsxWriter() },
  clock: systemClock,
};

async function processRecord(record: SQSRecord): Promise<void> {
  let job: ExportJob;
  try {
    job = JSON.parse(record.body) as ExportJob;
  } catch (error) {
    logger.error('Unreadable export job dropped', { error: error as Error });
    return;
  }
  // The queue's last receive before the DLQ: the export is marked failed rather than left running.
  const lastAttempt = Number(record.attributes.ApproximateReceiveCount) >= QUEUES.exports.maxReceiveCount;
  const outcome = await runResultsExport(deps, job, { lastAttempt });
  logger.info('Results export', { exportId: job.exportId, batchId: job.batchId, outcome });
  if (outcome !== 'skipped')
    metrics.addMetric(outcome === 'ready' ? 'ExportReady' : 'ExportFailed', 'Count', 1);
}

/** Exports-queue consumer: writes one results export (`runResultsExport`) per record. */
export const handler = sqsConsumer(processRecord);
