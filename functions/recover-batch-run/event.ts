import { z } from 'zod';
import { ABNORMAL_END_STATUSES } from '#topology/workflows';
import type { EndedRun } from '#use-cases/batches/recover-batch-run';

const RunInput = z.object({ accountId: z.string().min(1), batchId: z.string().min(1) });

/** The parts of the EventBridge event this function reads (AWS: "Step Functions Execution Status Change"). */
const StatusChange = z.object({
  source: z.literal('aws.states'),
  'detail-type': z.literal('Step Functions Execution Status Change'),
  detail: z.object({
    executionArn: z.string(),
    status: z.enum(ABNORMAL_END_STATUSES),
    // A JSON string; AWS leaves it out (`inputDetails.included: false`) only above 248 KiB, and batch
    // runs start with `{ accountId, batchId }`.
    input: z.string(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/** The ended run of an event, or a thrown error naming what is missing (the event then goes to the DLQ). */
export function parseEndedRun(event: unknown): EndedRun {
  const { detail } = StatusChange.parse(event);
  const input = RunInput.parse(JSON.parse(detail.input));
  return {
    status: detail.status,
    input: { accountId: input.accountId, batchId: input.batchId },
    ...(detail.error ? { error: detail.error } : {}),
    ...(detail.cause ? { cause: detail.cause } : {}),
  };
}
