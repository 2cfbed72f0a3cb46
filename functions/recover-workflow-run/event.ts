import { z } from 'zod';
import { ABNORMAL_END_STATUSES, type AbnormalEndStatus, type WorkflowKey } from '#topology/workflows';

const Id = z.string().min(1);
/** Each recovered workflow's input, as its starter writes it (docs/workflows.md). */
const INPUTS = {
  analyseBatch: z.object({ accountId: Id, batchId: Id }),
  sendBatch: z.object({ accountId: Id, batchId: Id }),
  importContacts: z.object({ accountId: Id, groupId: Id }),
  importBlocklist: z.object({ accountId: Id, importId: Id }),
} as const;
type RecoveredKey = keyof typeof INPUTS;

/** What the rule's target hands over: its workflow's key and the event's `detail`. */
const Target = z.object({
  workflow: z.enum(Object.keys(INPUTS) as [RecoveredKey, ...RecoveredKey[]]),
  detail: z.object({
    status: z.enum(ABNORMAL_END_STATUSES),
    // A JSON string; AWS leaves it out (`inputDetails.included: false`) only above 248 KiB, and these
    // runs start with a few ids.
    input: z.string(),
    error: z.string().nullish(),
    cause: z.string().nullish(),
  }),
});

/** A run that ended abnormally, with its workflow's own input. */
export type EndedWorkflowRun = {
  [K in RecoveredKey]: {
    readonly workflow: K;
    readonly status: AbnormalEndStatus;
    readonly input: z.infer<(typeof INPUTS)[K]>;
    /** As a Catch hands it to a Fail task: `Error`, and `Cause` when the run has one. */
    readonly error: { Error?: string; Cause?: string };
  };
}[RecoveredKey];

/** The reason when a run ended with no error of its own (an abort, a timeout). */
const END_REASON: Readonly<Record<AbnormalEndStatus, string>> = {
  FAILED: 'WORKFLOW_FAILED',
  TIMED_OUT: 'WORKFLOW_TIMED_OUT',
  ABORTED: 'WORKFLOW_ABORTED',
};

/** The ended run of a target input, or a thrown error naming what is wrong (the event then goes to the DLQ). */
export function parseEndedRun(payload: unknown): EndedWorkflowRun {
  const { workflow, detail } = Target.parse(payload);
  const input = INPUTS[workflow].parse(JSON.parse(detail.input));
  const error = {
    Error: detail.error || END_REASON[detail.status],
    ...(detail.cause ? { Cause: detail.cause } : {}),
  };
  return { workflow, status: detail.status, input, error } as EndedWorkflowRun;
}

/** The workflows whose abnormal ends this function handles (a unit test keeps it equal to WORKFLOWS'). */
export const RECOVERED_WORKFLOWS: readonly WorkflowKey[] = Object.keys(INPUTS) as RecoveredKey[];
