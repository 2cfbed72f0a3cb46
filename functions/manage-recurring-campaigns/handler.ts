import { makeFileStore } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeDynamoRecurringCampaignRepository } from '#adapters/dynamodb/recurring-campaign-repository';
import { makeEventBridgeRecurringScheduler } from '#adapters/scheduler/recurring-scheduler';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, RecurringTargetEnv, SchedulerEnv, TableEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import {
  CreateRecurringCampaignRequest,
  createRecurringCommand,
  recurringCampaignView,
  UpdateRecurringCampaignRequest,
} from '#http/recurring-request';
import { customerPage } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import {
  createRecurringCampaign,
  deleteRecurringCampaign,
  getRecurringCampaign,
  listRecurringCampaigns,
  type RecurringDeps,
  updateRecurringCampaign,
} from '#use-cases/batches/recurring-campaigns';

const schedulerEnv = loadEnv(SchedulerEnv);
const platformEnv = loadEnv(PlatformEnv);
const table = makeTableAdapters();
const deps: RecurringDeps = {
  batches: table.batches,
  files: makeFileStore(),
  campaigns: makeDynamoRecurringCampaignRepository({
    client: table.client,
    tableName: loadEnv(TableEnv).TABLE_NAME,
  }),
  schedules: makeEventBridgeRecurringScheduler({
    group: schedulerEnv.SCHEDULER_GROUP,
    roleArn: schedulerEnv.SCHEDULER_ROLE_ARN,
    targetArn: loadEnv(RecurringTargetEnv).SCHEDULE_TARGET_ARN,
  }),
  ids: cryptoIds,
  clock: systemClock,
  templates: table.templates,
  ...(platformEnv.PLATFORM_DEFAULT_SENDER ? { platformSender: platformEnv.PLATFORM_DEFAULT_SENDER } : {}),
};

const id = (event: { pathParameters?: Record<string, string | undefined> }) => event.pathParameters?.id ?? '';
const view = (campaign: Parameters<typeof recurringCampaignView>[0]) =>
  recurringCampaignView(campaign, deps.clock.now());

/** `/v1/recurring-campaigns/*`: campaign definitions that re-run on a cron (each firing makes a batch). */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/recurring-campaigns': async (event) => {
      const request = parseBody(event, CreateRecurringCampaignRequest);
      return json(
        201,
        view(await createRecurringCampaign(deps, event.caller, createRecurringCommand(request))),
      );
    },
    'GET /v1/recurring-campaigns': async (event) => {
      const result = await listRecurringCampaigns(
        deps,
        event.caller,
        customerPage(event.queryStringParameters),
      );
      return json(200, {
        items: result.items.map(view),
        ...(result.cursor ? { cursor: result.cursor } : {}),
      });
    },
    'GET /v1/recurring-campaigns/{id}': async (event) =>
      json(200, view(await getRecurringCampaign(deps, event.caller, id(event)))),
    'PATCH /v1/recurring-campaigns/{id}': async (event) => {
      const { paused, cron, timezone } = parseBody(event, UpdateRecurringCampaignRequest);
      const change = {
        ...(paused === undefined ? {} : { paused }),
        ...(cron === undefined ? {} : { cron }),
        ...(timezone === undefined ? {} : { timezone }),
      };
      return json(200, view(await updateRecurringCampaign(deps, event.caller, id(event), change)));
    },
    'DELETE /v1/recurring-campaigns/{id}': async (event) => {
      await deleteRecurringCampaign(deps, event.caller, id(event));
      return { statusCode: 204 };
    },
  },
);
