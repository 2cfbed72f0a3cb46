import type { BatchProgress } from '#domain/batch/batch';

type Counter = keyof Pick<BatchProgress, 'sent' | 'delivered' | 'failed' | 'cancelled' | 'superseded'>;

/**
 * Batch progress counted per Lambda invocation: one ADD per batch per SQS event batch instead of one
 * per message (docs/cost.md). Progress is a display and a "done yet?" hint, not money: settlement reads
 * the truth, and the progress safety net (`pastLastReport`) ends a batch whose counters fell short.
 */
export function makeProgressTally(
  addProgress: (accountId: string, batchId: string, delta: Partial<BatchProgress>) => Promise<void>,
) {
  const pending = new Map<string, { accountId: string; batchId: string; delta: Record<string, number> }>();
  return {
    add(accountId: string, batchId: string, counter: Counter): void {
      const key = `${accountId}/${batchId}`;
      let entry = pending.get(key);
      if (!entry) {
        entry = { accountId, batchId, delta: {} };
        pending.set(key, entry);
      }
      entry.delta[counter] = (entry.delta[counter] ?? 0) + 1;
    },
    /** Writes what was counted since the last flush (one update per batch); failures are returned. */
    async flush(): Promise<unknown[]> {
      const entries = [...pending.values()];
      pending.clear();
      const results = await Promise.allSettled(
        entries.map((e) => addProgress(e.accountId, e.batchId, e.delta)),
      );
      return results.flatMap((r) => (r.status === 'rejected' ? [r.reason] : []));
    },
  };
}
