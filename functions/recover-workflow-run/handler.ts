import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import { makeTableAdapters } from '#adapters/table-adapters';
import { makeSettleDeps } from '#adapters/workflow-deps';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';
import { systemClock } from '#ports/clock';
import { recoverBatchRun } from '#use-cases/batches/recover-batch-run';
import { failBlocklistImport } from '#use-cases/blocklist/blocklist-import-workflow';
import { failGroupImport } from '#use-cases/contacts/import-group';
import { type EndedWorkflowRun, parseEndedRun } from './event';

// One set of table adapters (one DynamoDB client) for the three kinds of run it recovers.
const table = makeTableAdapters();
const settleDeps = makeSettleDeps(table);
const groupDeps = { contactGroups: table.contactGroups, clock: systemClock };
const importDeps = { blocklistImports: table.blocklistImports, clock: systemClock };

/** Fails what the run left half done; `true` when there was something to fail. */
async function recover(run: EndedWorkflowRun): Promise<boolean> {
  switch (run.workflow) {
    case 'analyseBatch':
    case 'sendBatch':
      return (await recoverBatchRun(settleDeps, run)).recovered;
    case 'importContacts':
      return (await failGroupImport(groupDeps, { ...run.input, error: run.error })).status === 'failed';
    case 'importBlocklist':
      return (await failBlocklistImport(importDeps, { ...run.input, error: run.error })).status === 'failed';
  }
}

/**
 * The target of the rules on the workflows' "Step Functions Execution Status Change" events (FAILED,
 * TIMED_OUT, ABORTED), as `{ workflow, detail }` (docs/workflows.md): a batch is failed and settled, an
 * import failed, unless the run's own Catch or end already did it. An error fails the invocation:
 * EventBridge retries it, then the rule's dead-letter queue keeps the event.
 */
export const handler = middy(async (payload: unknown) => {
  const run = parseEndedRun(payload);
  const recovered = await recover(run);
  if (recovered) {
    logger.error('A workflow run ended without finishing its work; failed what it left', {
      workflow: run.workflow,
      runStatus: run.status,
      ...run.input,
      reason: run.error.Error,
    });
    metrics.addMetric('WorkflowRunsRecovered', 'Count', 1);
  }
  return { recovered };
})
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics));
