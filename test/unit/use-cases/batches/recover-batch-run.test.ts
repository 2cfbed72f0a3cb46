import { describe, expect, it } from 'vitest';
import type { Batch } from '#domain/batch/batch';
import type { BatchFinalTotals } from '#domain/batch/settlement';
import type { BatchRepository } from '#ports/batch-repository';
import { fixedPriceList } from '#ports/price-lists';
import { recoverBatchRun } from '#use-cases/batches/recover-batch-run';
import type { SettleBatchDeps } from '#use-cases/batches/settle-batch';
import { parseEndedRun } from '../../../../functions/recover-batch-run/event';
import { fixedClock, InMemoryStore, sequentialIds, testAccount, testBatch } from '../../../support/in-memory';

const NOW = '2026-11-24T10:00:00.000Z';

/** A batch repository over one batch (no chunks were ever enqueued), recording the settlements. */
function arrange(start: Batch) {
  const store = new InMemoryStore();
  store.accounts.set('acc1', testAccount({ balance: 9_000, reserved: start.reserved ?? 0 }));
  let batch = start;
  const settlements: { to: Batch['status']; totals: BatchFinalTotals }[] = [];
  const batches = {
    get: async () => batch,
    chunkKeys: async () => [],
    transition: async (_a: string, _b: string, to: Batch['status'], changes: Partial<Batch> = {}) => {
      batch = { ...batch, ...changes, status: to };
      return batch;
    },
    settle: async (
      _b: Batch,
      to: Batch['status'],
      totals: BatchFinalTotals,
      _e: unknown,
      _at: string,
      extra = {},
    ) => {
      settlements.push({ to, totals });
      batch = { ...batch, ...extra, status: to, finalTotals: totals };
      return batch;
    },
  };
  const deps: SettleBatchDeps = {
    batches: batches as unknown as BatchRepository,
    messages: store.messageRepo,
    accounts: store.accountRepo,
    prices: fixedPriceList({
      id: 'default',
      currency: 'EUR',
      entries: [{ prefix: '40', pricePerPart: 450 }],
    }),
    files: {
      read: async () => {
        throw new Error('no chunk was ever enqueued');
      },
    } as unknown as SettleBatchDeps['files'],
    ids: sequentialIds(),
    clock: fixedClock(NOW),
  };
  return { deps, settlements, batch: () => batch };
}

const run = (status: 'FAILED' | 'TIMED_OUT' | 'ABORTED', extra: { error?: string; cause?: string } = {}) => ({
  status,
  input: { accountId: 'acc1', batchId: 'b1' },
  ...extra,
});

describe('recoverBatchRun (a batch run that ended without its Catch)', () => {
  it.each([
    ['ABORTED', 'WORKFLOW_ABORTED'],
    ['TIMED_OUT', 'WORKFLOW_TIMED_OUT'],
    ['FAILED', 'WORKFLOW_FAILED'],
  ] as const)(
    'a sending batch whose run ended %s is failed (%s) and settled once',
    async (status, reason) => {
      // Arrange
      const { deps, settlements, batch } = arrange(testBatch({ status: 'running', reserved: 1_350 }));

      // Act
      const first = await recoverBatchRun(deps, run(status));
      const again = await recoverBatchRun(deps, run(status));

      // Assert
      expect(first).toMatchObject({ recovered: true, status: 'failed', reason });
      expect(again).toEqual({ recovered: false });
      expect(settlements).toHaveLength(1);
      expect(settlements[0]?.to).toBe('failed');
      expect(batch()).toMatchObject({ status: 'failed', reason });
    },
  );

  it("keeps the run's own error as the reason when the event carries one", async () => {
    // Arrange
    const { deps, batch } = arrange(testBatch({ status: 'paused', reserved: 450 }));

    // Act
    await recoverBatchRun(deps, run('FAILED', { error: 'States.Runtime' }));

    // Assert
    expect(batch()).toMatchObject({ status: 'failed', reason: 'States.Runtime' });
  });

  it('an analysis that never finished ends failed, with nothing to settle', async () => {
    // Arrange
    const { deps, settlements, batch } = arrange(testBatch({ status: 'analysing' }));

    // Act
    const result = await recoverBatchRun(deps, run('TIMED_OUT'));

    // Assert
    expect(result).toMatchObject({ recovered: true, status: 'failed' });
    expect(batch()).toMatchObject({ status: 'failed', reason: 'WORKFLOW_TIMED_OUT' });
    expect(settlements).toEqual([]);
  });

  it.each([
    ['settled already', testBatch({ status: 'failed', reserved: 450, finalTotals: {} as BatchFinalTotals })],
    ['ready (nothing reserved)', testBatch({ status: 'ready' })],
    ['an analysis its Catch already failed', testBatch({ status: 'failed', reason: 'EMPTY' })],
  ])('leaves a batch %s as it is', async (_, start) => {
    // Arrange
    const { deps, settlements, batch } = arrange(start);

    // Act
    const result = await recoverBatchRun(deps, run('FAILED'));

    // Assert
    expect(result).toEqual({ recovered: false });
    expect(settlements).toEqual([]);
    expect(batch()).toEqual(start);
  });
});

describe('parseEndedRun (the EventBridge status change)', () => {
  const event = (detail: Record<string, unknown>) => ({
    source: 'aws.states',
    'detail-type': 'Step Functions Execution Status Change',
    detail: {
      executionArn: 'arn:aws:states:eu-central-1:123456789012:execution:x-send-batch:b1',
      input: JSON.stringify({ accountId: 'acc1', batchId: 'b1' }),
      status: 'ABORTED',
      error: null,
      cause: null,
      ...detail,
    },
  });

  it('reads the status, the input and the error of the run', () => {
    expect(parseEndedRun(event({ status: 'FAILED', error: 'States.Runtime', cause: 'boom' }))).toEqual({
      status: 'FAILED',
      input: { accountId: 'acc1', batchId: 'b1' },
      error: 'States.Runtime',
      cause: 'boom',
    });
    expect(parseEndedRun(event({}))).toEqual({
      status: 'ABORTED',
      input: { accountId: 'acc1', batchId: 'b1' },
    });
  });

  it.each([
    ['a run that succeeded', { status: 'SUCCEEDED' }],
    ['an input without a batch', { input: JSON.stringify({ accountId: 'acc1', groupId: 'g1' }) }],
    ['no input', { input: undefined }],
  ])('refuses %s (the event then waits in the DLQ)', (_, detail) => {
    expect(() => parseEndedRun(event(detail))).toThrow();
  });
});
