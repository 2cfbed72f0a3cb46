import type { WorkflowKey } from '#topology/workflows';

/** Starts Step Functions workflows (`WORKFLOWS`). */
export interface WorkflowStarter {
  /** Idempotent by `name`: starting the same name with the same input again is a no-op. */
  start(workflow: WorkflowKey, name: string, input: Record<string, unknown>): Promise<void>;
}

/** One-time schedules that start the send workflow at a given instant (EventBridge Scheduler). */
export interface BatchScheduler {
  scheduleSend(name: string, at: Date, input: Record<string, unknown>): Promise<void>;
  /** Deletes the schedule; false when it did not exist (already fired or never made). */
  cancel(name: string): Promise<boolean>;
}
