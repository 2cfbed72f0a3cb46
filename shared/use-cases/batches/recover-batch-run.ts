import { failBatch, type SettleBatchDeps } from './settle-batch';

/** A batch workflow run that ended without reaching its own end (from its EventBridge status change). */
export interface EndedBatchRun {
  /** The run's input, as started: `{ accountId, batchId }` for both batch workflows. */
  readonly input: { readonly accountId: string; readonly batchId: string };
  /** As a Catch hands it to `fail-batch`: the run's error, or why it ended (`WORKFLOW_ABORTED`, …). */
  readonly error: { readonly Error?: string; readonly Cause?: string };
}

/**
 * The safety net under both batch workflows. Their Catch moves a failing batch to `failed` and settles
 * it, but some ends run no Catch: the 7-day timeout, an operator's StopExecution, the 25 000-event
 * history limit, a Lambda or service error inside the Catch itself. Each would leave the batch
 * `analysing` forever, or `running`/`paused` with its credit reserved forever. Any such end fails the
 * batch here through the same `failBatch` (seal, sweep, one settlement), unless it already ended well:
 * - settled already (`finalTotals`): the Catch or `Settle` did its work; nothing to do;
 * - `analysing`: the analysis never finished; the batch ends `failed`;
 * - credit reserved and not settled (`reserved` without `finalTotals`): sending started; what was sent is
 *   charged, the rest refunded, whatever the batch's status says;
 * - anything else (`ready`, an analysis that already failed, a cancelled batch) holds nothing: left as is.
 * Redelivered or duplicated events are harmless: the settlement is written once (`released`).
 */
export async function recoverBatchRun(deps: SettleBatchDeps, run: EndedBatchRun) {
  const batch = await deps.batches.get(run.input.accountId, run.input.batchId);
  if (!batch || batch.finalTotals) return { recovered: false as const };
  if (batch.status !== 'analysing' && batch.reserved === undefined) return { recovered: false as const };
  const failed = await failBatch(deps, { ...run.input, error: run.error });
  return { recovered: true as const, ...failed };
}
