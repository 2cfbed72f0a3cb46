import { describe, expect, it } from 'vitest';
import type { Account } from '#domain/account/account';
import { allowedFrom, type Batch, type BatchStatus, EMPTY_PROGRESS } from '#domain/batch/batch';
import { InsufficientCredit } from '#domain/errors';
import type { LedgerEntry } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import { type AutoStartDeps, autoStartBatch } from '#use-cases/batches/auto-start';
import { fixedClock, sequentialIds, testAccount } from '../../../support/in-memory';
import { InMemoryAccounts } from '../../../support/in-memory-platform';

const NOW = '2026-11-24T10:00:00.000Z';

function readyBatch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: 'b1',
    accountId: 'acc1',
    name: 'Weekly',
    status: 'ready',
    uploadId: 'u1',
    mapping: { firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    options: {
      from: 'Shop',
      speed: 0,
      dedup: true,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
    },
    summary: {
      rows: 3,
      valid: 3,
      invalid: 0,
      duplicates: 0,
      blocklisted: 0,
      messages: 3,
      parts: 3,
      cost: 1_350,
      reasons: {},
      chunks: 1,
    },
    progress: EMPTY_PROGRESS,
    createdAt: NOW,
    autoStart: true,
    ...overrides,
  };
}

/** The batch's status moves as the DynamoDB adapter moves it: conditionally, reservation against the balance. */
function arrange(batch: Batch, account: Account = testAccount({ balance: 10_000 })) {
  let current = batch;
  const reservations: LedgerEntry[] = [];
  const started: string[] = [];
  const scheduled: { name: string; at: string }[] = [];
  const batches = {
    get: async () => current,
    transition: async (_a: string, _b: string, to: BatchStatus, changes: Partial<Batch> = {}) => {
      if (!allowedFrom(to).includes(current.status)) return undefined;
      current = { ...current, ...changes, status: to };
      return current;
    },
    reserveAndStart: async (b: Batch, to: 'running' | 'scheduled', entry: LedgerEntry) => {
      if (current.status !== 'ready') return undefined;
      if (account.balance < (b.summary?.cost ?? 0))
        throw new InsufficientCredit('The balance does not cover this batch');
      reservations.push(entry);
      current = { ...current, status: to, reserved: b.summary?.cost ?? 0 };
      return current;
    },
  };
  const deps: AutoStartDeps = {
    batches: batches as unknown as BatchRepository,
    accounts: new InMemoryAccounts(account),
    workflows: {
      start: async (_workflow, name) => {
        started.push(name);
      },
    },
    scheduler: {
      scheduleSend: async (name, at) => {
        scheduled.push({ name, at: at.toISOString() });
      },
      cancel: async () => true,
    },
    ids: sequentialIds(),
    clock: fixedClock(NOW),
  };
  return { deps, reservations, started, scheduled, current: () => current };
}

const input = { accountId: 'acc1', batchId: 'b1' };

describe('autoStartBatch: a ready batch that asked for it starts without confirmation', () => {
  it('reserves the cost and starts the send workflow', async () => {
    // Arrange
    const { deps, reservations, started, current } = arrange(readyBatch());

    // Act
    const outcome = await autoStartBatch(deps, input);

    // Assert
    expect(outcome).toEqual({ status: 'running' });
    expect(reservations).toMatchObject([{ accountId: 'acc1', amount: -1_350, kind: 'reserve', ref: 'b1' }]);
    expect(started).toEqual(['send-b1']);
    expect(current().reserved).toBe(1_350);
  });

  it('not enough credit: the batch fails with the reason, nothing reserved, nothing sent', async () => {
    // Arrange
    const { deps, reservations, started, current } = arrange(readyBatch(), testAccount({ balance: 100 }));

    // Act
    const outcome = await autoStartBatch(deps, input);

    // Assert
    expect(outcome).toMatchObject({ status: 'failed' });
    expect(current()).toMatchObject({ status: 'failed', finishedAt: NOW });
    expect(current().reason).toMatch(/^Not started automatically \(INSUFFICIENT_CREDIT\): The balance/);
    expect(reservations).toEqual([]);
    expect(started).toEqual([]);
  });

  it('nothing valid to send: fails with BATCH_EMPTY', async () => {
    // Arrange
    const batch = readyBatch();
    const summary = batch.summary && { ...batch.summary, messages: 0 };
    const { deps, current } = arrange({ ...batch, ...(summary ? { summary } : {}) });

    // Act
    await autoStartBatch(deps, input);

    // Assert
    expect(current()).toMatchObject({ status: 'failed', reason: expect.stringContaining('BATCH_EMPTY') });
  });

  it('a future start time schedules it', async () => {
    // Arrange
    const startAt = '2026-11-25T08:00:00.000Z';
    const batch = readyBatch();
    const { deps, scheduled, started } = arrange({ ...batch, options: { ...batch.options, startAt } });

    // Act
    const outcome = await autoStartBatch(deps, input);

    // Assert
    expect(outcome).toEqual({ status: 'scheduled' });
    expect(scheduled).toEqual([{ name: 'send-b1', at: startAt }]);
    expect(started).toEqual([]);
  });

  it('a retried task reserves nothing twice (it only makes sure the workflow is started)', async () => {
    // Arrange
    const { deps, reservations, started } = arrange(readyBatch());
    await autoStartBatch(deps, input);

    // Act
    const again = await autoStartBatch(deps, input);

    // Assert
    expect(again).toEqual({ status: 'running' });
    expect(reservations).toHaveLength(1);
    expect(started).toEqual(['send-b1', 'send-b1']);
  });

  it('a batch without autoStart, or no longer ready, is left alone', async () => {
    // Arrange
    const manual = arrange(readyBatch({ autoStart: undefined }));
    const cancelled = arrange(readyBatch({ status: 'cancelled' }));

    // Act
    const outcomes = [await autoStartBatch(manual.deps, input), await autoStartBatch(cancelled.deps, input)];

    // Assert
    expect(outcomes).toEqual([{ status: 'ready' }, { status: 'cancelled' }]);
    expect([...manual.reservations, ...cancelled.reservations, ...manual.started]).toEqual([]);
  });
});
