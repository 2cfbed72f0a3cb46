import type { FunctionName } from './functions';

/**
 * The Step Functions workflows, declared once. `infra/` builds each state machine (JSONPath only, inline
 * Map over chunk keys: the local interpreter runs the very same definition, LOCAL-STACK.md); functions
 * that start one get its ARN in `arnEnv` and `states:StartExecution` on it; `tasks` are the Lambda
 * functions its Task states invoke (and nothing else may invoke them).
 */
export interface WorkflowSpec {
  /** Logical name: the construct id suffix and, locally, the state machine name. */
  readonly name: string;
  readonly arnEnv: string;
  readonly tasks: readonly FunctionName[];
  /** A whole run may not take longer than this. */
  readonly timeoutHours: number;
  /**
   * Invoked (through an EventBridge rule on the execution's status change, with `{ workflow, detail }`)
   * when a run ends in one of {@link ABNORMAL_END_STATUSES}: the ends no Catch of the definition sees (the
   * execution timed out, was aborted, hit the history limit or failed inside its Catch), so what the run
   * owned is never left half done — a batch `analysing` or an import `running` forever, or credit reserved
   * forever (docs/workflows.md). A purge has none: its group is already gone for its owner, and
   * an interrupted one leaves only items nobody can reach (docs/workflows.md).
   */
  readonly onAbnormalEnd?: FunctionName;
}

/** Execution statuses that {@link WorkflowSpec.onAbnormalEnd} handles. */
export const ABNORMAL_END_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;
export type AbnormalEndStatus = (typeof ABNORMAL_END_STATUSES)[number];

export const WORKFLOWS = {
  /**
   * On batch creation: parse the file into chunks in S3 (numbers normalised, duplicates dropped across
   * the whole file) → per chunk in an inline Map: blocklists, rendering, parts, price → summary; the
   * batch is `ready` (or `failed` with a reason). Nothing is sent, unless the batch asked to start
   * automatically (`autoStart`): then it is started as `start` would (or fails with the reason).
   */
  analyseBatch: {
    name: 'analyse-batch',
    arnEnv: 'ANALYSE_BATCH_WORKFLOW_ARN',
    tasks: ['parse-batch-file', 'analyse-batch-chunk', 'summarise-batch', 'auto-start-batch', 'fail-batch'],
    timeoutHours: 2,
    onAbnormalEnd: 'recover-workflow-run',
  },
  /**
   * On start (now, or when its schedule fires): per chunk in an inline Map (one at a time) enqueue the
   * chunk's messages at the batch's speed, then wait until every message is final, then settle. The send
   * window (`shared/domain/batch/send-window.ts`) stops and settles a batch a day before `timeoutHours`.
   */
  sendBatch: {
    name: 'send-batch',
    arnEnv: 'SEND_BATCH_WORKFLOW_ARN',
    tasks: ['plan-batch-send', 'enqueue-batch-chunk', 'check-batch-progress', 'settle-batch', 'fail-batch'],
    timeoutHours: 24 * 7,
    onAbnormalEnd: 'recover-workflow-run',
  },
  /**
   * On creating a contact group from a file: parse it into chunks in S3 (the batch analysis's reader and
   * chunk writer) → per chunk in an inline Map: write its contacts (BatchWriteItem) → the group is `ready`
   * with what was indexed (or `failed` with a reason).
   */
  importContacts: {
    name: 'import-contacts',
    arnEnv: 'IMPORT_CONTACTS_WORKFLOW_ARN',
    tasks: ['parse-group-file', 'import-group-chunk', 'finish-group-import'],
    timeoutHours: 2,
    onAbnormalEnd: 'recover-workflow-run',
  },
  /** On deleting a contact group: delete its contacts a step at a time, then the group (no request waits). */
  purgeContactGroup: {
    name: 'purge-contact-group',
    arnEnv: 'PURGE_CONTACT_GROUP_WORKFLOW_ARN',
    tasks: ['purge-contact-group'],
    timeoutHours: 2,
  },
  /**
   * A blocklist import above the synchronous threshold: parse the file into chunks of distinct valid
   * numbers in S3 → per chunk in an inline Map: add them (BatchGetItem + BatchWriteItem; idempotent) →
   * the import is `completed` with its report (or `failed` with a reason).
   */
  importBlocklist: {
    name: 'import-blocklist',
    arnEnv: 'IMPORT_BLOCKLIST_WORKFLOW_ARN',
    tasks: ['parse-blocklist-file', 'import-blocklist-chunk', 'finish-blocklist-import'],
    timeoutHours: 2,
    onAbnormalEnd: 'recover-workflow-run',
  },
} as const satisfies Record<string, WorkflowSpec>;

export type WorkflowKey = keyof typeof WORKFLOWS;

/** The S3 bucket for uploads and batch chunks (one bucket; prefixes per account). */
export const BUCKETS = {
  uploads: { localName: 'sms-platform-uploads', env: 'UPLOAD_BUCKET' },
} as const;

/** Object key prefixes; every key starts with the account id from the authenticated caller. */
export const objectKeys = {
  upload: (accountId: string, uploadId: string) => `uploads/${accountId}/${uploadId}`,
  chunk: (accountId: string, batchId: string, stage: 'parsed' | 'ready', index: number) =>
    `batches/${accountId}/${batchId}/${stage}/${String(index).padStart(5, '0')}.jsonl`,
  /** One analysed chunk's counts, read by the summary (kept out of the workflow state: docs/workflows.md). */
  chunkStats: (accountId: string, batchId: string, index: number) =>
    `batches/${accountId}/${batchId}/stats/${String(index).padStart(5, '0')}.json`,
  batchPrefix: (accountId: string, batchId: string) => `batches/${accountId}/${batchId}/`,
  /**
   * A recurring campaign's file, copied from its upload: kept while the campaign exists (the bucket's
   * expiry rules cover the other prefixes only).
   */
  recurringSource: (accountId: string, campaignId: string, extension: string) =>
    `recurring/${accountId}/${campaignId}/source.${extension}`,
  /** Operator-side integrations drop a file and its sidecar `<file>.json` here (docs/file-drops.md). */
  dropPrefix: (accountId: string) => `drops/${accountId}/`,
  /** A contact group's import: the parsed rows of its file (also what the import review pages through). */
  groupChunk: (accountId: string, groupId: string, index: number) =>
    `groups/${accountId}/${groupId}/import/${String(index).padStart(5, '0')}.jsonl`,
  /** An asynchronous blocklist import's distinct valid numbers (expires: `imports/` is an expiring prefix). */
  blocklistImportChunk: (accountId: string, importId: string, index: number) =>
    `imports/${accountId}/blocklist/${importId}/${String(index).padStart(5, '0')}.jsonl`,
};
