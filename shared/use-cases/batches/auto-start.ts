import type { Batch } from '#domain/batch/batch';
import { DomainError } from '#domain/errors';
import type { AccountRepository } from '#ports/account-repository';
import { type StartDeps, startBatch } from './manage-batches';

export interface AutoStartDeps extends StartDeps {
  readonly accounts: Pick<AccountRepository, 'get'>;
}

export type AutoStartOutcome =
  | { readonly status: Batch['status'] }
  | { readonly status: 'failed'; readonly reason: string };

/**
 * Starts a batch that asked to start once analysed (`autoStart`: a file drop's sidecar, a recurring
 * campaign's occurrence), as `POST /v1/batches/{id}/start` would for its own account.
 * 1. Only a `ready` batch with `autoStart` is started; a retried task finds it `running` or `scheduled`
 *    and makes sure its workflow or schedule exists (both idempotent by name), nothing more.
 * 2. Reserve its whole cost and start it (or schedule it at its start time).
 * 3. A refusal (not enough credit, the daily spend limit, no valid message, a suspended account) ends the
 *    batch `failed` with the reason: nothing was reserved, nothing is sent, and nobody is waiting to read
 *    a 402. Infrastructure errors throw, for the workflow's retry.
 */
export async function autoStartBatch(
  deps: AutoStartDeps,
  input: { accountId: string; batchId: string },
): Promise<AutoStartOutcome> {
  const batch = await deps.batches.get(input.accountId, input.batchId);
  if (!batch) throw new Error(`Batch ${input.batchId} not found`);
  if (!batch.autoStart) return { status: batch.status };
  const name = `send-${batch.id}`;
  const workflowInput = { accountId: batch.accountId, batchId: batch.id };
  if (batch.status === 'running' && !batch.finishedAt) {
    await deps.workflows.start('sendBatch', name, workflowInput);
    return { status: batch.status };
  }
  if (batch.status === 'scheduled' && batch.options.startAt) {
    await deps.scheduler.scheduleSend(name, new Date(batch.options.startAt), workflowInput);
    return { status: batch.status };
  }
  if (batch.status !== 'ready') return { status: batch.status };

  const account = await deps.accounts.get(batch.accountId);
  const refuse = async (reason: string): Promise<AutoStartOutcome> => {
    const failed = await deps.batches.transition(batch.accountId, batch.id, 'failed', {
      reason,
      finishedAt: deps.clock.now().toISOString(),
    });
    return failed
      ? { status: 'failed', reason }
      : { status: (await deps.batches.get(input.accountId, input.batchId))?.status ?? 'failed' };
  };
  if (account?.status !== 'active') {
    return refuse('Not started automatically (ACCOUNT_NOT_ACTIVE): the account is not active');
  }
  try {
    const started = await startBatch(deps, { accountId: account.id, keyId: 'auto-start', account }, batch.id);
    return { status: started.status };
  } catch (error) {
    if (!(error instanceof DomainError)) throw error;
    return refuse(`Not started automatically (${error.code}): ${error.message}`);
  }
}
