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
  readonly sendsTo: readonly ('send' | 'deliveryReports')[];
  /** Needs the carrier adapter (and its secrets). */
  readonly carrier?: boolean;
  /** Needs the carrier webhook secret to verify signatures. */
  readonly webhookSecret?: boolean;
  readonly description: string;
}

export const FUNCTIONS = {
  'send-message': {
    timeoutSeconds: 10,
    memoryMb: 512,
    table: 'readWrite',
    sendsTo: ['send'],
    description: 'POST /v1/messages: validate, price, reserve credit, store and enqueue one SMS',
  },
  'get-message': {
    timeoutSeconds: 10,
    memoryMb: 256,
    table: 'read',
    sendsTo: [],
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
    sendsTo: [],
    carrier: true,
    description: 'Send-queue consumer: claims each message once and submits it to the carrier',
  },
  'apply-delivery-reports': {
    timeoutSeconds: 30,
    memoryMb: 256,
    table: 'readWrite',
    sendsTo: [],
    description: 'DLR-queue consumer: monotonic, idempotent status updates',
  },
} as const satisfies Record<string, FunctionSpec>;

export type FunctionName = keyof typeof FUNCTIONS;

export function visibilityTimeoutSeconds(consumer: FunctionName, factor = 6): number {
  return FUNCTIONS[consumer].timeoutSeconds * factor;
}
