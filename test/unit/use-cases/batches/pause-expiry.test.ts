import { describe, expect, it } from 'vitest';
import { allowedFrom, type Batch, type BatchStatus, EMPTY_PROGRESS } from '#domain/batch/batch';
import { SEND_WINDOW_MS, SETTLE_GRACE_MS } from '#domain/batch/send-window';
import { Conflict, MessageRejected } from '#domain/errors';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import { type BatchDeps, startBatch } from '#use-cases/batches/manage-batches';
import { pauseBatch, resumeBatch } from '#use-cases/batches/pause-batch';
import {
  checkBatchProgress,
  enqueueBatchChunk,
  PAUSE_POLL_SECONDS,
  pausePollSeconds,
  type SendBatchDeps,
} from '#use-cases/batches/send-batch';
import { sequentialIds, testAccount, testBatch } from '../../../support/in-memory';

const STARTED = Date.parse('2026-11-24T10:00:00.000Z');
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
const input = { accountId: 'acc1', batchId: 'b1' };
const chunk = { index: 1, key: 'batches/acc1/b1/ready/00001.jsonl', before: 60 };

const SUMMARY = {
  rows: 120,
  valid: 120,
  invalid: 0,
  duplicates: 0,
  blocklisted: 0,
  messages: 120,
  parts: 120,
  cost: 54_000,
  reasons: {},
  chunks: 2,
};

function runningBatch(overrides: Partial<Batch> = {}): Batch {
  return testBatch({
    name: 'Weekly',
    uploadId: 'u1',
    summary: SUMMARY,
    progress: { ...EMPTY_PROGRESS, queued: 60, sent: 60 },
    reserved: 54_000,
    enqueuedThrough: 0,
    createdAt: new Date(STARTED).toISOString(),
    startedAt: new Date(STARTED).toISOString(),
    ...overrides,
  });
}

/**
 * The batch moves as the DynamoDB adapter moves it (conditionally, BATCH_TRANSITIONS); the clock is set
 * by the test. Everything else a send step could touch throws: an expired or paused batch sends nothing.
 */
function arrange(batch: Batch) {
  let current = batch;
  let now = STARTED;
  const clock: Clock = { now: () => new Date(now) };
  const untouched = new Proxy(
    {},
    {
      get: (_t, name) => () => {
        throw new Error(`unexpected call ${String(name)}`);
      },
    },
  );
  const batches = {
    get: async () => current,
    transition: async (_a: string, _b: string, to: BatchStatus, changes: Partial<Batch> = {}) => {
      if (!allowedFrom(to).includes(current.status)) return undefined;
      current = { ...current, ...changes, status: to };
      return current;
    },
  } as unknown as BatchRepository;
  const send = {
    batches,
    accounts: untouched,
    messages: untouched,
    windows: untouched,
    files: untouched,
    sendQueue: untouched,
    ids: sequentialIds(),
    clock,
  } as unknown as SendBatchDeps;
  const manage = { batches, clock, ids: sequentialIds() } as unknown as BatchDeps;
  const caller = { accountId: 'acc1', keyId: 'k1', account: testAccount({ balance: 1_000_000 }) };
  return {
    send,
    manage,
    caller,
    at: (ms: number) => {
      now = ms;
    },
    current: () => current,
  };
}

describe('the send window ends a batch left paused (PAUSE_EXPIRED)', () => {
  it('a pause within the window only polls; once the window closes the batch is stopped and the Map moves on', async () => {
    // Arrange
    const { send, manage, caller, at, current } = arrange(runningBatch());
    at(STARTED + DAY);
    await pauseBatch(manage, caller, 'b1');
    // Act: one millisecond before the window closes, then at its close
    at(STARTED + SEND_WINDOW_MS - 1);
    const before = await enqueueBatchChunk(send, { ...input, chunk });
    at(STARTED + SEND_WINDOW_MS);
    const after = await enqueueBatchChunk(send, { ...input, chunk });
    // Assert
    expect(before).toMatchObject({ done: false, enqueued: 0 });
    expect(after).toEqual({ done: true, enqueued: 0, waitSeconds: 0 });
    expect(current()).toMatchObject({
      status: 'stopped',
      reason: 'PAUSE_EXPIRED',
      finishedAt: new Date(STARTED + SEND_WINDOW_MS).toISOString(),
    });
  });

  it('CheckProgress stops it too, and waits for the counters no longer than the grace hour', async () => {
    // Arrange: 60 queued, 40 accounted for; a validity long enough that the report safety net is not due
    const { send, at, current } = arrange(
      runningBatch({
        status: 'paused',
        options: { ...runningBatch().options, validitySeconds: 7 * 86_400 },
        pausedAt: new Date(STARTED + 2 * DAY).toISOString(),
        progress: { ...EMPTY_PROGRESS, queued: 60, sent: 60, delivered: 30, superseded: 10 },
      }),
    );
    // Act
    at(STARTED + SEND_WINDOW_MS + 5_000);
    const first = await checkBatchProgress(send, input);
    at(STARTED + SEND_WINDOW_MS + SETTLE_GRACE_MS);
    const last = await checkBatchProgress(send, input);
    // Assert
    expect(current()).toMatchObject({ status: 'stopped', reason: 'PAUSE_EXPIRED' });
    expect(first).toEqual({ done: false, waitSeconds: 60 });
    expect(last).toEqual({ done: true, waitSeconds: 0 });
  });

  it('resuming after that answers the usual conflict for a stopped batch', async () => {
    // Arrange
    const { send, manage, caller, at } = arrange(runningBatch({ status: 'paused' }));
    at(STARTED + SEND_WINDOW_MS);
    await enqueueBatchChunk(send, { ...input, chunk });
    // Act
    const resumed = resumeBatch(manage, caller, 'b1');
    // Assert
    await expect(resumed).rejects.toThrow(Conflict);
    await expect(resumed).rejects.toMatchObject({ code: 'BATCH_NOT_PAUSED' });
  });

  it('a batch still running when the window closes is stopped as SEND_WINDOW_EXPIRED', async () => {
    // Arrange
    const { send, at, current } = arrange(runningBatch());
    at(STARTED + SEND_WINDOW_MS);
    // Act
    const step = await enqueueBatchChunk(send, { ...input, chunk });
    // Assert
    expect(step).toEqual({ done: true, enqueued: 0, waitSeconds: 0 });
    expect(current()).toMatchObject({ status: 'stopped', reason: 'SEND_WINDOW_EXPIRED' });
  });

  it('the window of a scheduled batch opens at its start time, not at its confirmation', async () => {
    // Arrange: confirmed now, scheduled to start in 3 days, paused a day after that
    const startAt = new Date(STARTED + 3 * DAY).toISOString();
    const { send, at, current } = arrange(
      runningBatch({
        status: 'paused',
        options: { ...runningBatch().options, startAt },
        pausedAt: new Date(STARTED + 4 * DAY).toISOString(),
      }),
    );
    // Act
    at(STARTED + SEND_WINDOW_MS);
    const step = await enqueueBatchChunk(send, { ...input, chunk });
    // Assert
    expect(step.done).toBe(false);
    expect(current().status).toBe('paused');
  });

  it('a batch stopped or finished meanwhile keeps its status and its reason', async () => {
    // Arrange
    const { send, at, current } = arrange(runningBatch({ status: 'stopped', finishedAt: 'x' }));
    at(STARTED + SEND_WINDOW_MS);
    // Act
    await enqueueBatchChunk(send, { ...input, chunk });
    // Assert
    expect(current()).toMatchObject({ status: 'stopped', finishedAt: 'x' });
    expect(current().reason).toBeUndefined();
  });
});

describe('polling a paused batch', () => {
  it('starts at 10 s, then a tenth of the time paused, at most 10 minutes', () => {
    const pausedAt = new Date(STARTED).toISOString();
    const poll = (ms: number) => pausePollSeconds({ pausedAt }, new Date(STARTED + ms));
    expect(poll(0)).toBe(PAUSE_POLL_SECONDS);
    expect(poll(60_000)).toBe(PAUSE_POLL_SECONDS);
    expect(poll(HOUR)).toBe(360);
    expect(poll(DAY)).toBe(600);
  });

  it('a whole window of pause stays far below the 25 000 events of an execution history', () => {
    // Arrange
    const pausedAt = new Date(STARTED).toISOString();
    let t = 0;
    let polls = 0;
    // Act
    while (t < SEND_WINDOW_MS) {
      t += pausePollSeconds({ pausedAt }, new Date(STARTED + t)) * 1000;
      polls++;
    }
    // Assert: ~9 events a poll (Wait, Task, Choice)
    expect(polls * 9).toBeLessThan(10_000);
  });
});

describe('starting a batch that cannot finish within the window', () => {
  it('is refused with 422 BATCH_TOO_SLOW, nothing reserved: 1M messages at 1/s take 11.6 days', async () => {
    // Arrange
    const ready = runningBatch({
      status: 'ready',
      summary: { ...SUMMARY, messages: 1_000_000, parts: 1_000_000 },
    });
    const { manage, caller, current } = arrange(ready);
    // Act
    const started = startBatch(manage, caller, 'b1');
    // Assert
    await expect(started).rejects.toThrow(MessageRejected);
    await expect(started).rejects.toMatchObject({
      code: 'BATCH_TOO_SLOW',
      details: { sendingSeconds: 1_000_000, maxSeconds: 5 * 86_400 },
    });
    expect(current().status).toBe('ready');
  });

  it('counts the account cap too: 1M parts at 2 parts/s exceed it even at full speed', async () => {
    // Arrange
    const ready = runningBatch({
      status: 'ready',
      options: { ...runningBatch().options, speed: 0 },
      summary: { ...SUMMARY, messages: 500_000, parts: 1_000_000 },
    });
    const { manage, current } = arrange(ready);
    const caller = { accountId: 'acc1', keyId: 'k1', account: testAccount({ partsPerSecond: 2 }) };
    // Act
    const started = startBatch(manage, caller, 'b1');
    // Assert
    await expect(started).rejects.toMatchObject({ code: 'BATCH_TOO_SLOW' });
    expect(current().status).toBe('ready');
  });
});
