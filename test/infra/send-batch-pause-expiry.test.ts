import { describe, expect, it } from 'vitest';
import { allowedFrom, type Batch, type BatchStatus, EMPTY_PROGRESS } from '#domain/batch/batch';
import { SEND_WINDOW_MS, SETTLE_GRACE_MS } from '#domain/batch/send-window';
import type { BatchRepository } from '#ports/batch-repository';
import type { FunctionName } from '#topology/functions';
import { BUCKETS, WORKFLOWS } from '#topology/workflows';
import { checkBatchProgress, enqueueBatchChunk, type SendBatchDeps } from '#use-cases/batches/send-batch';
import { loadStateMachineDefinitions } from '../../local/step-functions';
import { type Engine, type Execution, prepare, run } from '../../local/step-functions-engine';
import { testBatch } from '../support/in-memory';

const STARTED = Date.parse('2026-11-24T10:00:00.000Z');
const DAY = 24 * 3_600_000;
/** Step Functions fails an execution (no Catch) whose history passes this many events. */
const HISTORY_EVENTS = 25_000;
/** Events one pass of the pause loop adds: Wait entered/exited, Task entered/scheduled/started/succeeded/exited, Choice entered/exited. */
const EVENTS_PER_POLL = 9;

/**
 * The synthesized send-batch definition, run by the local interpreter with Waits taking no real time:
 * Enqueue and CheckProgress are the real use cases on an in-memory batch whose clock moves on by each
 * Wait's seconds; Plan, Settle and Fail are recorded.
 */
async function runSendBatch(batch: Batch, startAt: number) {
  let current = batch;
  let now = startAt;
  let waitSeconds = 0;
  const calls: { fn: FunctionName; status: BatchStatus; at: number }[] = [];
  const batches = {
    get: async () => current,
    transition: async (_a: string, _b: string, to: BatchStatus, changes: Partial<Batch> = {}) => {
      if (!allowedFrom(to).includes(current.status)) return undefined;
      current = { ...current, ...changes, status: to };
      return current;
    },
  } as unknown as BatchRepository;
  const deps = { batches, clock: { now: () => new Date(now) } } as unknown as SendBatchDeps;
  const invoke = async (fn: FunctionName, payload: unknown): Promise<unknown> => {
    // Waits take no time here: yield, so the test's own deadline can still fire.
    await new Promise((resolve) => setImmediate(resolve));
    now += waitSeconds * 1000;
    calls.push({ fn, status: current.status, at: now });
    // A loop that never ends fails the execution (through Fail) instead of hanging the test.
    if (calls.length > 10_000) throw new Error('Runaway loop');
    const input = payload as Parameters<typeof enqueueBatchChunk>[1];
    let result: { waitSeconds?: number } & Record<string, unknown> = {};
    if (fn === 'plan-batch-send')
      result = { chunks: [0, 1].map((index) => ({ index, key: `k${index}`, before: index * 60 })) };
    if (fn === 'enqueue-batch-chunk') result = await enqueueBatchChunk(deps, input);
    if (fn === 'check-batch-progress') result = await checkBatchProgress(deps, input);
    waitSeconds = result.waitSeconds ?? 0;
    return result;
  };
  const definitions = await loadStateMachineDefinitions({
    locals: { tableName: 'sms-platform', bucketNames: { UploadBucket: BUCKETS.uploads.localName } },
  });
  const entry = definitions.SendBatchWorkflow;
  if (!entry) throw new Error('no SendBatchWorkflow');
  const machine = prepare('SendBatchWorkflow', entry, 0, {});
  const engine: Engine = {
    machines: new Map(),
    executions: new Map(),
    options: { definitions, invoke },
    scale: 0,
  };
  const execution: Execution = {
    arn: 'arn:local:execution:send-b1',
    name: 'send-b1',
    machine,
    input: '{}',
    startDate: Date.now(),
    status: 'RUNNING',
  };
  run(engine, execution, { accountId: 'acc1', batchId: 'b1' });
  const deadline = Date.now() + 20_000;
  while (execution.status === 'RUNNING' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
  execution.abort?.();
  return { execution, calls, batch: () => current };
}

const pausedBatch: Batch = testBatch({
  name: 'Weekly',
  status: 'paused',
  uploadId: 'u1',
  // Both chunks enqueued before the pause, every job then dropped by it (superseded).
  progress: { ...EMPTY_PROGRESS, queued: 120, superseded: 120 },
  enqueuedThrough: 1,
  createdAt: new Date(STARTED).toISOString(),
  startedAt: new Date(STARTED).toISOString(),
  pausedAt: new Date(STARTED + DAY).toISOString(),
});

describe('send-batch: a batch left paused', () => {
  it('is stopped (PAUSE_EXPIRED) by the workflow when its window closes, then settled, before the timeout', async () => {
    // Act
    const { execution, calls, batch } = await runSendBatch(pausedBatch, STARTED + DAY);
    // Assert
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(batch()).toMatchObject({ status: 'stopped', reason: 'PAUSE_EXPIRED' });
    const settle = calls.filter((c) => c.fn === 'settle-batch');
    expect(settle).toEqual([{ fn: 'settle-batch', status: 'stopped', at: expect.any(Number) }]);
    expect(calls.some((c) => c.fn === 'fail-batch')).toBe(false);
    const settledAt = settle[0]?.at ?? 0;
    expect(settledAt).toBeGreaterThanOrEqual(STARTED + SEND_WINDOW_MS);
    expect(settledAt).toBeLessThanOrEqual(STARTED + SEND_WINDOW_MS + SETTLE_GRACE_MS);
    expect(settledAt).toBeLessThan(STARTED + WORKFLOWS.sendBatch.timeoutHours * 3_600_000 - 12 * 3_600_000);
    // Five days of pause polled within Step Functions' execution history quota.
    const polls = calls.filter((c) => c.fn === 'enqueue-batch-chunk').length;
    expect(polls * EVENTS_PER_POLL).toBeLessThan(HISTORY_EVENTS / 2);
  });

  it('resumed within its window, it is not stopped and the workflow runs through to Settle', async () => {
    // Arrange: a resume lands after an hour of pause (the next Enqueue finds it running)
    const resumed: Batch = { ...pausedBatch, status: 'running', sendGeneration: 1, enqueuedGeneration: 1 };
    // Act
    const { execution, batch, calls } = await runSendBatch(resumed, STARTED + DAY + 3_600_000);
    // Assert
    expect(execution).toMatchObject({ status: 'SUCCEEDED' });
    expect(batch().status).toBe('running');
    expect(batch().reason).toBeUndefined();
    expect(calls.map((c) => c.fn)).toEqual([
      'plan-batch-send',
      'enqueue-batch-chunk',
      'enqueue-batch-chunk',
      'check-batch-progress',
      'settle-batch',
    ]);
  });
});
