import type { FunctionName } from '#topology/functions';
import { ABNORMAL_END_STATUSES, WORKFLOWS } from '#topology/workflows';
import { pascalCase } from '../infra/config';
import { type ExecutionStatusChange, stateMachineArn } from './step-functions';

export interface WorkflowEndEventsOptions {
  /** Invokes a function's local handler with the rule target's input (asynchronously, as EventBridge). */
  deliver(fn: FunctionName, payload: unknown): Promise<unknown>;
  onError(error: unknown, detail: ExecutionStatusChange): void;
}

const ENDS: ReadonlySet<string> = new Set(ABNORMAL_END_STATUSES);

/**
 * The deployed rules of `infra/constructs/workflow-end-rules.ts`, locally: an `onExecutionClosed` for
 * `startStepFunctions` that hands each run of a workflow with `onAbnormalEnd` that closed FAILED,
 * TIMED_OUT or ABORTED to that function, as the rule's target input `{ workflow, detail }`. One attempt
 * (AWS retries, then keeps the event in the DLQ); a failure is reported through `onError`.
 */
export function workflowEndEvents(
  options: WorkflowEndEventsOptions,
): (detail: ExecutionStatusChange) => void {
  const targets = new Map<string, { workflow: string; fn: FunctionName }>();
  for (const [workflow, spec] of Object.entries(WORKFLOWS)) {
    if ('onAbnormalEnd' in spec) {
      targets.set(stateMachineArn(`${pascalCase(workflow)}Workflow`), { workflow, fn: spec.onAbnormalEnd });
    }
  }
  return (detail) => {
    const target = targets.get(detail.stateMachineArn);
    if (!target || !ENDS.has(detail.status)) return;
    const payload = { workflow: target.workflow, detail };
    options.deliver(target.fn, payload).catch((error: unknown) => options.onError(error, detail));
  };
}
