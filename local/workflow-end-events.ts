import { randomUUID } from 'node:crypto';
import type { FunctionName } from '#topology/functions';
import { ABNORMAL_END_STATUSES, WORKFLOWS } from '#topology/workflows';
import { pascalCase } from '../infra/config';
import { LOCAL_ACCOUNT_ID } from './sqs-poller';
import { type ExecutionStatusChange, stateMachineArn } from './step-functions';

export interface WorkflowEndEventsOptions {
  /** Invokes a function's local handler with the EventBridge event (asynchronously, as a rule target). */
  deliver(fn: FunctionName, event: unknown): Promise<unknown>;
  onError(error: unknown, detail: ExecutionStatusChange): void;
}

const ENDS: ReadonlySet<string> = new Set(ABNORMAL_END_STATUSES);

/**
 * The deployed rules of `infra/constructs/workflow-end-rules.ts`, locally: an `onExecutionClosed` for
 * `startStepFunctions` that hands each run of a workflow with `onAbnormalEnd` that closed FAILED,
 * TIMED_OUT or ABORTED to that function, as the EventBridge event AWS would send. One attempt (AWS retries
 * and then keeps the event in the DLQ); a failure is reported through `onError`.
 */
export function workflowEndEvents(
  options: WorkflowEndEventsOptions,
): (detail: ExecutionStatusChange) => void {
  const targets = new Map<string, FunctionName>();
  for (const [key, spec] of Object.entries(WORKFLOWS)) {
    if ('onAbnormalEnd' in spec)
      targets.set(stateMachineArn(`${pascalCase(key)}Workflow`), spec.onAbnormalEnd);
  }
  return (detail) => {
    const fn = targets.get(detail.stateMachineArn);
    if (!fn || !ENDS.has(detail.status)) return;
    const event = {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Step Functions Execution Status Change',
      source: 'aws.states',
      account: LOCAL_ACCOUNT_ID,
      time: new Date(detail.stopDate).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: 'us-east-1',
      resources: [detail.executionArn],
      detail,
    };
    options.deliver(fn, event).catch((error: unknown) => options.onError(error, detail));
  };
}
