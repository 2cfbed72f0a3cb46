import type { Batch } from '#domain/batch/batch';
import { Conflict } from '#domain/errors';
import type { Caller } from '../accounts';
import { type BatchDeps, getBatch } from './manage-batches';

/**
 * Pauses a running batch: nothing more is submitted (the sender drops the jobs already queued; they are
 * enqueued again on resume), its credit stays reserved, and it can still be stopped.
 */
export async function pauseBatch(deps: BatchDeps, caller: Caller, batchId: string): Promise<Batch> {
  await getBatch(deps, caller, batchId);
  const paused = await deps.batches.transition(caller.accountId, batchId, 'paused', {
    pausedAt: deps.clock.now().toISOString(),
  });
  if (!paused) throw new Conflict('BATCH_NOT_RUNNING', 'Only a running batch can be paused');
  return paused;
}

/**
 * Resumes a paused batch: a new send generation (jobs of older generations are dropped by the sender),
 * and the send workflow enqueues what was not submitted yet at the campaign speed and account cap.
 */
export async function resumeBatch(deps: BatchDeps, caller: Caller, batchId: string): Promise<Batch> {
  const batch = await getBatch(deps, caller, batchId);
  if (batch.status !== 'paused') {
    throw new Conflict('BATCH_NOT_PAUSED', `A ${batch.status} batch cannot be resumed`);
  }
  const resumed = await deps.batches.transition(caller.accountId, batchId, 'running', {
    sendGeneration: (batch.sendGeneration ?? 0) + 1,
  });
  if (!resumed) throw new Conflict('BATCH_NOT_PAUSED', 'The batch is no longer paused');
  return resumed;
}
