/**
 * Every Lambda function, declared once. Each lives in `functions/<name>/handler.ts` and exports `handler`.
 * `infra/` creates one NodejsFunction per entry with exactly the grants listed here (least privilege);
 * the local stack runs the same handlers with the same environment variable names.
 */
export interface FunctionSpec {
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /** Table access this function needs. */
  readonly table: 'none' | 'read' | 'readWrite';
  /** Queues it sends to (it gets `sqs:SendMessage` on each and their URL in its environment). */
  readonly sendsTo: readonly ('send' | 'deliveryReports' | 'inbound' | 'callbacks' | 'exports')[];
  /** Needs the carrier adapter (and its secrets). */
  readonly carrier?: boolean;
  /** Needs the carrier webhook secret to verify signatures. */
  readonly webhookSecret?: boolean;
  /** Upload bucket access (UPLOAD_BUCKET in its environment). */
  readonly bucket?: 'read' | 'readWrite';
  /**
   * Key prefixes of the upload bucket under which it may delete objects (`s3:DeleteObject`). Everything
   * else expires through lifecycle rules; only files kept without expiry (a recurring campaign's source)
   * are deleted by the function that owns them.
   */
  readonly bucketDeletes?: readonly 'recurring/'[];
  /** Workflows it starts (their ARN env var and `states:StartExecution` on them). */
  readonly startsWorkflows?: readonly (
    | 'analyseBatch'
    | 'sendBatch'
    | 'importContacts'
    | 'purgeContactGroup'
    | 'importBlocklist'
  )[];
  /** Creates/deletes EventBridge Scheduler one-time schedules that start `sendBatch`. */
  readonly schedules?: boolean;
  /**
   * The function the recurring schedules it manages invoke (a FUNCTIONS name): its ARN in
   * `SCHEDULE_TARGET_ARN`, `scheduler:UpdateSchedule` (pause, resume), and the scheduler role may invoke it.
   */
  readonly scheduleTarget?: string;
  readonly description: string;
}

export const FUNCTIONS = {
  'send-message': {
    timeoutSeconds: 10,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: ['send', 'callbacks'],
    description: 'POST /v1/messages: validate, price, reserve credit, store and enqueue one SMS',
  },
  'get-message': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'read',
    sendsTo: [],
    // A batch message not yet submitted is answered from its batch's ready chunk.
    bucket: 'read',
    description: 'GET /v1/messages/{id}: one message with its status history',
  },
  'preview-message': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'read',
    sendsTo: [],
    description: 'POST /v1/messages/preview: encoding, parts, segments and cost of a text',
  },
  'get-account': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'read',
    sendsTo: [],
    description: 'GET /v1/account: the caller account and its balance',
  },
  'admin-create-account': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'POST /v1/admin/accounts: operator creates an account and its first API key',
  },
  'admin-add-credit': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'POST /v1/admin/accounts/{id}/credit: operator tops up an account (ledger entry)',
  },
  'account-settings': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'The caller account: ledger, password change, billing details',
  },
  'manage-subusers': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Subusers of an account: create, list, edit, suspend, credit transfers',
  },
  'manage-api-keys': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'API keys of the caller: create (shown once), list, revoke',
  },
  'manage-sender-ids': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Sender ids of the caller: request a new one, list approved and pending',
  },
  'get-prices': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'read',
    sendsTo: [],
    description: 'GET /v1/prices: route check and price per part for a destination',
  },
  'admin-accounts': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Operator: read, suspend and reactivate accounts',
  },
  'admin-pricing': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Operator: price lists (default and per account)',
  },
  'admin-sender-ids': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Operator: sender id requests, approval and rejection',
  },
  'admin-blocklist': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: "Operator: the platform's global blocklist",
  },
  'manage-uploads': {
    timeoutSeconds: 30,
    memoryMb: 1024,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'readWrite',
    description: 'Uploads: presigned PUT for a batch file, and a preview of its sheets and first rows',
  },
  'manage-batches': {
    timeoutSeconds: 15,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    startsWorkflows: ['analyseBatch', 'sendBatch'],
    schedules: true,
    description: 'Batch campaigns: create (analyse), summary and rows, start/schedule, cancel, stop',
  },
  'export-batch-results': {
    timeoutSeconds: 60,
    memoryMb: 1024,
    // readWrite + the exports queue: also serves the asynchronous exports (`/v1/batches/{id}/exports*`).
    table: 'readWrite',
    sendsTo: ['exports'],
    bucket: 'readWrite',
    description:
      'GET /v1/batches/{id}/results (xlsx/csv, formula-injection safe); POST/GET …/exports (async, any size)',
  },
  'receive-file-drop': {
    timeoutSeconds: 60,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    startsWorkflows: ['analyseBatch'],
    description: 'S3 file drop (drops/<accountId>/...): a file plus its sidecar JSON becomes a batch',
  },
  'parse-batch-file': {
    timeoutSeconds: 900,
    memoryMb: 2048,
    table: 'read',
    sendsTo: [],
    bucket: 'readWrite',
    description:
      'Workflow task: parse the uploaded file into chunks (numbers normalised, duplicates dropped)',
  },
  'analyse-batch-chunk': {
    timeoutSeconds: 300,
    memoryMb: 1024,
    table: 'read',
    sendsTo: [],
    bucket: 'readWrite',
    description: 'Workflow task: one chunk: blocklists, rendering, parts and price per row',
  },
  'summarise-batch': {
    timeoutSeconds: 60,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    description: 'Workflow task: the batch summary; the batch becomes ready',
  },
  'auto-start-batch': {
    timeoutSeconds: 30,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    startsWorkflows: ['sendBatch'],
    schedules: true,
    description:
      'Workflow task: a ready batch that asked to start automatically reserves its cost and starts',
  },
  'manage-recurring-campaigns': {
    timeoutSeconds: 30,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    // Copies the upload under recurring/ (a server-side CopyObject: read the upload, write the copy).
    bucket: 'readWrite',
    // Deleting a campaign deletes its kept source file (phone numbers): recurring/ has no expiry rule.
    bucketDeletes: ['recurring/'],
    schedules: true,
    scheduleTarget: 'run-recurring-campaign',
    description: 'Recurring campaigns: save a definition (file + batch settings + cron), list, pause, delete',
  },
  'run-recurring-campaign': {
    timeoutSeconds: 30,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    startsWorkflows: ['analyseBatch'],
    description:
      'Scheduler target: one firing of a recurring campaign becomes a batch that starts when ready',
  },
  'plan-batch-send': {
    timeoutSeconds: 60,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    description: 'Workflow task: the batch is running; the list of ready chunks to send, in order',
  },
  'enqueue-batch-chunk': {
    timeoutSeconds: 300,
    memoryMb: 1024,
    table: 'readWrite',
    sendsTo: ['send'],
    bucket: 'read',
    description: 'Workflow task: create one chunk of messages and enqueue them at the batch speed',
  },
  'check-batch-progress': {
    timeoutSeconds: 300,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: ['send'],
    bucket: 'read',
    description:
      'Workflow task: whether every message of the batch is final; after a resume, enqueues again what the pause held back',
  },
  'settle-batch': {
    timeoutSeconds: 900,
    memoryMb: 1024,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    description:
      "Workflow task: the batch's one settlement (sweep of its messages: charge what was sent, refund the rest)",
  },
  'fail-batch': {
    timeoutSeconds: 900,
    memoryMb: 1024,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    description: 'Workflow task: the batch failed with a reason; refund what was reserved and not sent',
  },
  'recover-workflow-run': {
    timeoutSeconds: 900,
    memoryMb: 1024,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    description:
      'A workflow run ended FAILED, TIMED_OUT or ABORTED (EventBridge): fail what it left half done (a batch, settled once; an import)',
  },
  'receive-delivery-report': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'none',
    sendsTo: ['deliveryReports'],
    webhookSecret: true,
    description: 'Carrier DLR webhook: verify the signature, enqueue the report',
  },
  'get-openapi': {
    timeoutSeconds: 5,
    memoryMb: 128,
    table: 'none',
    sendsTo: [],
    description: 'GET /openapi.json: the API description',
  },
  'submit-messages': {
    timeoutSeconds: 30,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: ['callbacks'],
    carrier: true,
    description: 'Send-queue consumer: claims each message once and submits it to the carrier',
  },
  'sendsms-json': {
    timeoutSeconds: 30,
    // scrypt (N=2^17) needs 128 MiB per password check, on top of the batch file a request may carry.
    memoryMb: 1024,
    table: 'readWrite',
    sendsTo: ['send', 'callbacks'],
    bucket: 'readWrite',
    startsWorkflows: ['analyseBatch', 'sendBatch', 'purgeContactGroup'],
    schedules: true,
    carrier: true,
    description:
      'GET|POST /json: the sendSMS-compatible API (username + password or API key) over the use cases',
  },
  'public-links': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Public link routes: short link redirect (click counted), unsubscribe confirmation page',
  },
  'list-links': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'read',
    sendsTo: [],
    description: "GET /v1/links: the caller's short links with their message and clicks",
  },
  'apply-delivery-reports': {
    timeoutSeconds: 30,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: ['callbacks'],
    description: 'DLR-queue consumer: monotonic, idempotent status updates',
  },
  'manage-templates': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Saved message templates of the caller: create, list, read, change, delete',
  },
  'manage-blocklist': {
    timeoutSeconds: 30,
    memoryMb: 1024,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    startsWorkflows: ['importBlocklist'],
    description:
      "The caller account's blocklist: add, remove, list, check a number, import from an upload (large files in a workflow)",
  },
  reports: {
    timeoutSeconds: 30,
    memoryMb: 1024,
    table: 'read',
    sendsTo: [],
    bucket: 'readWrite',
    description:
      'Reports: message search, latest messages, per-campaign and per-destination totals; csv/xlsx',
  },
  'receive-inbound-message': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'none',
    sendsTo: ['inbound'],
    webhookSecret: true,
    description: 'Carrier MO webhook: verify the signature, enqueue the inbound SMS',
  },
  'apply-inbound-messages': {
    timeoutSeconds: 30,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: ['callbacks'],
    description: 'Inbound-queue consumer: route a reply to its account, store it, opt-outs, forward it',
  },
  'dispatch-callbacks': {
    timeoutSeconds: 30,
    memoryMb: 256,
    // readWrite: creates an account's signing secret on its first callback (a send's own callbackUrl).
    table: 'readWrite',
    sendsTo: [],
    description: "Callback-queue consumer: POSTs signed callbacks to customers' URLs, retried with backoff",
  },
  'manage-inbound': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Replies (GET /v1/inbound), callback settings and opt-out keywords of the caller',
  },
  'admin-numbers': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description:
      'Operator: dedicated numbers (a platform number assigned to one account routes its replies); unmatched replies',
  },
  'manage-contact-groups': {
    timeoutSeconds: 15,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    startsWorkflows: ['importContacts', 'purgeContactGroup'],
    description:
      'Contact groups: create from an upload, import review, rename, delete; contacts CRUD and search',
  },
  'parse-group-file': {
    timeoutSeconds: 900,
    memoryMb: 2048,
    table: 'read',
    sendsTo: [],
    bucket: 'readWrite',
    description:
      'Workflow task: parse a contact group file into chunks (numbers normalised, duplicates dropped)',
  },
  'import-group-chunk': {
    timeoutSeconds: 300,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    description: "Workflow task: one chunk's contacts written to the group (BatchWriteItem)",
  },
  'finish-group-import': {
    timeoutSeconds: 60,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Workflow task: the group is ready with what was indexed, or failed with a reason',
  },
  'purge-contact-group': {
    timeoutSeconds: 300,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    description: 'Workflow task: delete the next contacts of a deleted group; the group item once empty',
  },
  'account-phone': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: ['send', 'callbacks'],
    description: "The caller's own mobile: a one-time code sent by SMS (free), then verified",
  },
  'parse-blocklist-file': {
    timeoutSeconds: 900,
    memoryMb: 2048,
    // readWrite: stores the file's counts on the import (shown while the chunks run).
    table: 'readWrite',
    sendsTo: [],
    bucket: 'readWrite',
    description: 'Workflow task: parse a blocklist import file into chunks of distinct valid numbers (S3)',
  },
  'import-blocklist-chunk': {
    timeoutSeconds: 300,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'read',
    description: "Workflow task: one chunk's numbers added to the account's blocklist (idempotent)",
  },
  'finish-blocklist-import': {
    timeoutSeconds: 60,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'Workflow task: the blocklist import is completed with its report, or failed with a reason',
  },
  'run-results-export': {
    // A million-row xlsx takes ~40 CPU-seconds to write (bench/export.bench.ts); Lambda's maximum leaves
    // room for slow chunk and message reads.
    timeoutSeconds: 900,
    // 1769 MB is one full vCPU: exceljs is CPU-bound; memory stays flat (one 8 MiB part + read-ahead).
    memoryMb: 1769,
    table: 'readWrite',
    sendsTo: [],
    bucket: 'readWrite',
    description: 'Exports-queue consumer: streams a batch results export (xlsx/csv) to S3 in parts',
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

export function visibilityTimeoutSeconds(consumer: FunctionName, factor = 6): number {
  return FUNCTIONS[consumer].timeoutSeconds * factor;
}
