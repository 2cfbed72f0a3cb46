import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { makeFileStore } from '#adapters/batch-adapters';
import { makeDynamoFileDropRepository } from '#adapters/dynamodb/file-drop-repository';
import { makeSfnWorkflowStarter } from '#adapters/sfn/workflow-starter';
import { makeTableAdapters } from '#adapters/table-adapters';
import { BucketEnv, loadEnv, TableEnv, WorkflowEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';
import { systemClock } from '#ports/clock';
import { type FileDropDeps, receiveFileDrop } from '#use-cases/batches/file-drop';
import { droppedObjects, type FileDropEvent, isDropSidecar } from './events';

const { TABLE_NAME } = loadEnv(TableEnv);
const { UPLOAD_BUCKET } = loadEnv(BucketEnv);
const workflowEnv = loadEnv(WorkflowEnv);
const platformEnv = loadEnv(PlatformEnv);
const table = makeTableAdapters();
const deps: FileDropDeps = {
  accounts: table.accounts,
  batches: table.batches,
  drops: makeDynamoFileDropRepository({ client: table.client, tableName: TABLE_NAME }),
  files: makeFileStore(),
  workflows: makeSfnWorkflowStarter({
    arns: workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN
      ? { analyseBatch: workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN }
      : {},
  }),
  clock: systemClock,
  ...(platformEnv.PLATFORM_DEFAULT_SENDER ? { platformSender: platformEnv.PLATFORM_DEFAULT_SENDER } : {}),
};

/**
 * One S3 "Object Created" event (EventBridge, as deployed; a direct notification's Records work too): each
 * sidecar under `drops/<accountId>/` becomes a batch (docs/file-drops.md). A refused drop is logged as an
 * error and recorded, and the event succeeds: redelivering it could not fix it. Only infrastructure errors
 * throw, so that Lambda retries the event.
 */
export function makeHandler(d: FileDropDeps, bucket: string) {
  return async (event: FileDropEvent): Promise<void> => {
    for (const object of droppedObjects(event)) {
      if (object.bucket !== bucket || !isDropSidecar(object.key)) {
        logger.debug('Not a file drop sidecar: ignored', { ...object });
        continue;
      }
      const result = await receiveFileDrop(d, object);
      if (result.outcome === 'rejected') {
        // The integration's mistake, not the platform's: a warning, recorded on the account and counted.
        logger.warn('File drop rejected', { ...result, sequencer: object.sequencer });
        metrics.addMetric('FileDropRejected', 'Count', 1);
      } else if (result.outcome === 'created') {
        logger.info('File drop accepted', { key: object.key, ...result });
        metrics.addMetric('FileDropAccepted', 'Count', 1);
      } else {
        logger.info('File drop already processed', { key: object.key, ...result });
      }
    }
  };
}

export const handler = middy(makeHandler(deps, UPLOAD_BUCKET))
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
