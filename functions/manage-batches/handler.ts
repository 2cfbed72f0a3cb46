import { makeFileStore } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeEventBridgeBatchScheduler } from '#adapters/scheduler/batch-scheduler';
import { makeSfnWorkflowStarter } from '#adapters/sfn/workflow-starter';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, SchedulerEnv, WorkflowEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { customerRoutes } from '#http/api-handler';
import { batchRowsView, batchView } from '#http/batch-presenters';
import {
  BatchSource,
  CreateBatchRequest,
  createBatchCommand,
  ListCampaignRequest,
  listCampaignCommand,
} from '#http/batch-request';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { customerPage } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import { createListCampaign } from '#use-cases/batches/list-campaign';
import {
  type BatchDeps,
  cancelBatch,
  createBatch,
  getBatch,
  startBatch,
  stopBatch,
} from '#use-cases/batches/manage-batches';
import { pauseBatch, resumeBatch } from '#use-cases/batches/pause-batch';

const workflowEnv = loadEnv(WorkflowEnv);
const schedulerEnv = loadEnv(SchedulerEnv);
const platformEnv = loadEnv(PlatformEnv);
const table = makeTableAdapters();
const deps: BatchDeps = {
  batches: table.batches,
  files: makeFileStore(),
  workflows: makeSfnWorkflowStarter({
    arns: {
      ...(workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN
        ? { analyseBatch: workflowEnv.ANALYSE_BATCH_WORKFLOW_ARN }
        : {}),
      ...(workflowEnv.SEND_BATCH_WORKFLOW_ARN ? { sendBatch: workflowEnv.SEND_BATCH_WORKFLOW_ARN } : {}),
    },
  }),
  scheduler: makeEventBridgeBatchScheduler({
    group: schedulerEnv.SCHEDULER_GROUP,
    roleArn: schedulerEnv.SCHEDULER_ROLE_ARN,
    sendWorkflowArn: workflowEnv.SEND_BATCH_WORKFLOW_ARN ?? '',
  }),
  ids: cryptoIds,
  clock: systemClock,
  templates: table.templates,
  ...(platformEnv.PLATFORM_DEFAULT_SENDER ? { platformSender: platformEnv.PLATFORM_DEFAULT_SENDER } : {}),
};
const listDeps = { ...deps, contactGroups: table.contactGroups };

const id = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';

/** `/v1/batches/*`: batch campaigns from an upload — create (analyse), summary, rows, start, cancel, stop. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/batches': async (event) => {
      if (parseBody(event, BatchSource).source !== undefined) {
        const request = parseBody(event, ListCampaignRequest);
        const batch = await createListCampaign(listDeps, event.caller, listCampaignCommand(request));
        return json(201, batchView(batch));
      }
      const request = parseBody(event, CreateBatchRequest);
      const batch = await createBatch(deps, event.caller, {
        ...createBatchCommand(request.uploadId, request),
        ...(request.templateId === undefined ? {} : { templateId: request.templateId }),
      });
      return json(201, batchView(batch));
    },
    'GET /v1/batches': async (event) => {
      const result = await table.batches.list(
        event.caller.accountId,
        customerPage(event.queryStringParameters),
      );
      return json(200, {
        items: result.items.map(batchView),
        ...(result.cursor ? { cursor: result.cursor } : {}),
      });
    },
    'GET /v1/batches/{id}': async (event) =>
      json(200, batchView(await getBatch(deps, event.caller, id(event)))),
    'GET /v1/batches/{id}/rows': async (event) => {
      const batch = await getBatch(deps, event.caller, id(event));
      return json(200, await batchRowsView(deps, batch, customerPage(event.queryStringParameters)));
    },
    'POST /v1/batches/{id}/start': async (event) =>
      json(200, batchView(await startBatch(deps, event.caller, id(event)))),
    'POST /v1/batches/{id}/cancel': async (event) =>
      json(200, batchView(await cancelBatch(deps, event.caller, id(event)))),
    'POST /v1/batches/{id}/stop': async (event) =>
      json(200, batchView(await stopBatch(deps, event.caller, id(event)))),
    'POST /v1/batches/{id}/pause': async (event) =>
      json(200, batchView(await pauseBatch(deps, event.caller, id(event)))),
    'POST /v1/batches/{id}/resume': async (event) =>
      json(200, batchView(await resumeBatch(deps, event.caller, id(event)))),
  },
);
