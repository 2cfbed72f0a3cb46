import type { Context } from 'aws-lambda';

/** A Lambda context for handler tests (after Powertools' packages/testing/src/context.ts). */
export const context: Context = {
  callbackWaitsForEmptyEventLoop: true,
  functionName: 'test-function',
  functionVersion: '$LATEST',
  invokedFunctionArn: 'arn:aws:lambda:eu-central-1:123456789012:function:test-function',
  memoryLimitInMB: '256',
  awsRequestId: 'c6af9ac6-7b61-11e6-9a41-93e812345678',
  logGroupName: '/aws/lambda/test-function',
  logStreamName: '2026/11/24/[$LATEST]abcdef',
  getRemainingTimeInMillis: () => 10_000,
  done: () => undefined,
  fail: () => undefined,
  succeed: () => undefined,
};

/** Environment every handler test needs before importing a handler (module scope reads it). */
export function handlerEnv(extra: Record<string, string> = {}) {
  Object.assign(process.env, {
    AWS_REGION: 'eu-central-1',
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    TABLE_NAME: 'sms-platform-test',
    SEND_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/send-messages',
    DLR_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/delivery-reports',
    INBOUND_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/inbound-messages',
    CALLBACK_QUEUE_URL: 'https://sqs.eu-central-1.amazonaws.com/123456789012/callbacks',
    CARRIER: 'eum',
    EUM_CONFIGURATION_SET: 'sms-platform-test',
    CARRIER_WEBHOOK_SECRET: 'test-webhook-secret-0123456789',
    POWERTOOLS_TRACE_ENABLED: 'false',
    POWERTOOLS_METRICS_DISABLED: 'true',
    POWERTOOLS_LOG_LEVEL: 'SILENT',
    ...extra,
  });
}
