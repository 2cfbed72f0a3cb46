import { z } from 'zod';

/**
 * Environment of every function, one zod schema per concern, parsed at module load so a misconfigured
 * function fails at cold start, not halfway through a send. `infra/` sets exactly these names; the local
 * stack sets them in `process.env` before loading handlers.
 */
export const TableEnv = z.object({
  TABLE_NAME: z.string().min(1).describe('The single DynamoDB table'),
});

export const SendQueueEnv = z.object({
  SEND_QUEUE_URL: z.string().url().describe('Queue of messages waiting to be submitted to the carrier'),
});

export const DeliveryReportQueueEnv = z.object({
  DLR_QUEUE_URL: z.string().url().describe('Queue of verified delivery reports'),
});

/** Which carrier adapter runs: deploy-time configuration (`-c carrier=sim|eum`). */
export const CarrierEnv = z.discriminatedUnion('CARRIER', [
  z.object({
    CARRIER: z.literal('sim'),
    CARRIER_SIM_URL: z.string().url().describe('Base URL of the carrier (simulator) HTTP API'),
    /** Local: the key itself. Deployed: the SSM SecureString parameter's name (CARRIER_SIM_API_KEY_PARAM). */
    CARRIER_SIM_API_KEY: z.string().min(1).optional(),
    CARRIER_SIM_API_KEY_PARAM: z.string().min(1).optional(),
  }),
  z.object({
    CARRIER: z.literal('eum'),
    EUM_CONFIGURATION_SET: z
      .string()
      .min(1)
      .describe('End User Messaging configuration set (event destination → DLR queue)'),
    EUM_ORIGINATION_IDENTITY: z
      .string()
      .min(1)
      .optional()
      .describe('Phone pool / sender id ARN; default: per message'),
  }),
]);

/** Secret the carrier signs its webhooks with: the value locally, an SSM SecureString name when deployed. */
export const WebhookSecretEnv = z.object({
  CARRIER_WEBHOOK_SECRET: z.string().min(16).optional(),
  CARRIER_WEBHOOK_SECRET_PARAM: z.string().min(1).optional(),
});

export const BucketEnv = z.object({
  UPLOAD_BUCKET: z.string().min(1).describe('Bucket for uploads and batch chunks'),
});

export const WorkflowEnv = z.object({
  ANALYSE_BATCH_WORKFLOW_ARN: z.string().min(1).optional(),
  SEND_BATCH_WORKFLOW_ARN: z.string().min(1).optional(),
  IMPORT_CONTACTS_WORKFLOW_ARN: z.string().min(1).optional(),
  PURGE_CONTACT_GROUP_WORKFLOW_ARN: z.string().min(1).optional(),
  IMPORT_BLOCKLIST_WORKFLOW_ARN: z.string().min(1).optional(),
});

export const BlocklistImportEnv = z.object({
  BLOCKLIST_IMPORT_SYNC_MAX_ROWS: z.coerce
    .number()
    .int()
    .min(0)
    .optional()
    .describe(
      'Blocklist import files of at most this many data rows are imported within the request (default SYNC_MAX_ROWS); larger ones in the workflow',
    ),
});

export const SchedulerEnv = z.object({
  SCHEDULER_GROUP: z.string().min(1).describe('EventBridge Scheduler group for batch start schedules'),
  SCHEDULER_ROLE_ARN: z.string().min(1).describe('Role the scheduler assumes to start the send workflow'),
});

export const RecurringTargetEnv = z.object({
  SCHEDULE_TARGET_ARN: z
    .string()
    .min(1)
    .describe('The function recurring campaign schedules invoke (run-recurring-campaign)'),
});

export function loadEnv<S extends z.ZodType>(schema: S, source: NodeJS.ProcessEnv = process.env): z.infer<S> {
  const parsed = schema.safeParse(source);
  if (!parsed.success) {
    throw new Error(`Invalid environment: ${z.prettifyError(parsed.error)}`);
  }
  return parsed.data;
}

export const ExportQueueEnv = z.object({
  EXPORT_QUEUE_URL: z.string().url().describe('Queue of results exports waiting to be written'),
});
