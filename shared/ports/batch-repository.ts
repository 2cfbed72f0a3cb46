import type { Batch, BatchProgress, BatchStatus, BatchSummary } from '#domain/batch/batch';
import type { BatchFinalTotals } from '#domain/batch/settlement';
import type { LedgerEntry, Page } from './account-repository';

/** An uploaded file waiting to become a batch. */
export interface Upload {
  readonly id: string;
  readonly accountId: string;
  readonly fileName: string;
  readonly contentType: string;
  readonly key: string;
  readonly createdAt: string;
}

export interface BatchRepository {
  createUpload(upload: Upload): Promise<void>;
  getUpload(accountId: string, uploadId: string): Promise<Upload | undefined>;
  create(batch: Batch): Promise<void>;
  get(accountId: string, batchId: string): Promise<Batch | undefined>;
  list(accountId: string, page: { limit: number; cursor?: string }): Promise<Page<Batch>>;
  /**
   * Moves the batch to `to` if its current status allows it (`BATCH_TRANSITIONS`), with extra fields.
   * Returns the batch after the move, or undefined when the current status does not allow it.
   */
  transition(
    accountId: string,
    batchId: string,
    to: BatchStatus,
    changes?: {
      summary?: BatchSummary;
      reason?: string;
      startedAt?: string;
      finishedAt?: string;
      chunkKeys?: readonly string[];
      /** Messages (ok rows) per ready chunk, in order: where each chunk starts in the batch's count. */
      chunkMessages?: readonly number[];
      sendGeneration?: number;
      pausedAt?: string;
    },
  ): Promise<Batch | undefined>;
  /** Ready chunk keys of an analysed batch, in order. */
  chunkKeys(accountId: string, batchId: string): Promise<readonly string[]>;
  /** Messages per ready chunk, in order (empty for batches analysed before this was stored). */
  chunkMessageCounts(accountId: string, batchId: string): Promise<readonly number[]>;
  /**
   * Reserves the batch's whole cost on the paying account and moves the batch from `ready` to `to`, in
   * one transaction (`InsufficientCredit` when short; undefined when the batch is not `ready`).
   */
  reserveAndStart(
    batch: Batch,
    to: 'running' | 'scheduled',
    entry: LedgerEntry,
    at: string,
    dailySpend?: { accountId: string; day: string; limit: number },
  ): Promise<Batch | undefined>;
  /**
   * Gives back what was reserved and never turned into messages, once, as the batch ends in `to`
   * (completed/stopped/failed/cancelled).
   */
  release(
    batch: Batch,
    to: BatchStatus,
    amount: number,
    entry: LedgerEntry,
    at: string,
  ): Promise<Batch | undefined>;
  /**
   * Counts a chunk's messages as queued, once per chunk (chunks are enqueued in order: a retried or
   * re-enqueued chunk counts nothing). False when the chunk was counted already.
   */
  countEnqueued(
    accountId: string,
    batchId: string,
    chunkIndex: number,
    delta: { queued: number; parts: number; cost: number },
  ): Promise<boolean>;
  /**
   * The batch's one settlement: in one transaction the batch ends in `to` with its final totals, the
   * paying account's reservation is released (the charge to spent, the rest to balance) and the ledger
   * gets the entries. Exactly once: undefined when the batch was settled (or released) already.
   */
  settle(
    batch: Batch,
    to: BatchStatus,
    totals: BatchFinalTotals,
    entries: readonly LedgerEntry[],
    at: string,
    extra?: { reason?: string },
  ): Promise<Batch | undefined>;
  addProgress(accountId: string, batchId: string, delta: Partial<BatchProgress>): Promise<void>;
  /** Records that the jobs of send generation `generation` were enqueued again (once per generation). */
  markResent(accountId: string, batchId: string, generation: number): Promise<void>;
}
