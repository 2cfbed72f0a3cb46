import { describe, expect, it } from 'vitest';
import type { Batch } from '#domain/batch/batch';
import type { BatchFinalTotals } from '#domain/batch/settlement';
import type { BatchRepository } from '#ports/batch-repository';
import { fixedPriceList } from '#ports/price-lists';
import { WORKFLOWS } from '#topology/workflows';
import { recoverBatchRun } from '#use-cases/batches/recover-batch-run';
import type { SettleBatchDeps } from '#use-cases/batches/settle-batch';
import { parseEndedRun, RECOVERED_WORKFLOWS } from '../../../functions/recover-workflow-run/event';
import { fixedClock, InMemoryStore, sequentialIds, testAccount, testBatch } from '../../support/in-memory';

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

/** The target input of the rule: the workflow's key and the status change's detail. */
const payload = (workflow: string, detail: Record<string, unknown>) => ({
  workflow,
  detail: {
    executionArn: 'arn:aws:states:eu-central-1:123456789012:execution:x:b1',
    input: JSON.stringify({ accountId: 'acc1', batchId: 'b1' }),
    status: 'ABORTED',
    error: null,
    cause: null,
    ...detail,
  },
});
const run = (status: 'FAILED' | 'TIMED_OUT' | 'ABORTED', extra: { error?: string } = {}) => {
  const parsed = parseEndedRun(payload('sendBatch', { status, ...extra }));
  if (parsed.workflow !== 'sendBatch') throw new Error('not a batch run');
  return parsed;
};

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

describe('parseEndedRun (the rule target input)', () => {
  it('reads the workflow, the status, its input and the error of the run', () => {
    expect(
      parseEndedRun(
        payload('importContacts', {
          status: 'FAILED',
          error: 'States.Runtime',
          cause: 'boom',
          input: JSON.stringify({ accountId: 'acc1', groupId: 'g1' }),
        }),
      ),
    ).toEqual({
      workflow: 'importContacts',
      status: 'FAILED',
      input: { accountId: 'acc1', groupId: 'g1' },
      error: { Error: 'States.Runtime', Cause: 'boom' },
    });
    expect(parseEndedRun(payload('analyseBatch', {}))).toEqual({
      workflow: 'analyseBatch',
      status: 'ABORTED',
      input: { accountId: 'acc1', batchId: 'b1' },
      error: { Error: 'WORKFLOW_ABORTED' },
    });
  });

  it.each([
    ['a run that succeeded', payload('sendBatch', { status: 'SUCCEEDED' })],
    [
      'a batch run without a batch',
      payload('sendBatch', { input: JSON.stringify({ accountId: 'a', groupId: 'g' }) }),
    ],
    ['an import run without its import', payload('importBlocklist', {})],
    ['no input', payload('sendBatch', { input: undefined })],
    ['a workflow it does not recover', payload('purgeContactGroup', {})],
  ])('refuses %s (the event then waits in the DLQ)', (_, input) => {
    expect(() => parseEndedRun(input)).toThrow();
  });

  it('knows the input of exactly the workflows that declare onAbnormalEnd', () => {
    const declared = Object.entries(WORKFLOWS)
      .filter(([, spec]) => 'onAbnormalEnd' in spec)
      .map(([key]) => key);
    expect([...RECOVERED_WORKFLOWS].sort()).toEqual(declared.sort());
  });
});
