import type { Batch, BatchStatus } from '#domain/batch/batch';
import { type BatchFinalTotals, makeSettlementTally } from '#domain/batch/settlement';
import type { Message } from '#domain/message/message';
import { makePriceIndex } from '#domain/pricing/price-list';
import type { AccountRepository, LedgerEntry } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { MessageRepository } from '#ports/message-repository';
import type { ObjectStore } from '#ports/object-store';
import type { PriceListRepository } from '#ports/price-lists';
import { parseRows, planChunkMessages } from './batch-messages';

export interface SettleBatchDeps {
  readonly batches: BatchRepository;
  readonly messages: Pick<MessageRepository, 'getMany' | 'sealUnsent'>;
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly prices: PriceListRepository;
  readonly files: ObjectStore;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

async function mustGet(
  deps: Pick<SettleBatchDeps, 'batches'>,
  input: { accountId: string; batchId: string },
) {
  const batch = await deps.batches.get(input.accountId, input.batchId);
  if (!batch) throw new Error(`Batch ${input.batchId} not found`);
  return batch;
}

/**
 * The end of the send workflow: the batch's one settlement.
 * 1. A batch settled already changes nothing (exactly once, however often the task is retried).
 * 2. Sweep the batch's planned messages by their deterministic ids (BatchGetItem, consistent reads):
 *    charge each by its status as single messages are (`isCharged`); no item = never sent.
 * 3. In one transaction: the batch ends `completed` (or stays `stopped`) with its final totals, the
 *    reservation is released — the charge to spent, the rest back to the balance — with two ledger
 *    entries (settle, refund).
 */
export async function settleBatch(deps: SettleBatchDeps, input: { accountId: string; batchId: string }) {
  const batch = await mustGet(deps, input);
  if (batch.finalTotals) return { status: batch.status, refunded: 0 };
  const to = batch.status === 'stopped' ? 'stopped' : 'completed';
  const settled = await settle(deps, batch, to);
  return { status: settled?.status ?? batch.status, refunded: settled?.finalTotals?.refunded ?? 0 };
}

/**
 * The workflow failed: the batch ends `failed` with the reason; what was sent is charged and the rest
 * refunded by the same settlement (the sender drops the jobs of a batch that no longer runs).
 *
 * Unlike `settleBatch`, which runs only once every enqueued job is accounted for (so no sender can still
 * be about to claim one of its messages), this runs while jobs may still be queued or in a sender's
 * hands: a sender that read the batch as `running` just before may claim a message after the sweep read
 * it as absent, send it, and it would never be charged. Two steps close that race without adding a
 * write to the send path:
 * 1. The batch moves to `failed` first, so the next state read of every sender drops its jobs.
 * 2. The sweep seals every planned message it finds without an item (`sealUnsent`: the same conditional
 *    Put the sender's claim is). For each message exactly one of the two Puts wins: the sender's → the
 *    sweep gets the claimed item back and charges it (`submitted` is charged; the carrier gets it);
 *    the seal's → the late sender's claim finds a `cancelled` item and skips it, before the carrier.
 *    So every message is either sent and charged or refunded and never sent — whatever the timing.
 *    A claim the carrier throttled is given back as a `queued` item, never deleted: the sweep seals it
 *    like a missing one, and a retried job that finds it `queued` claims and sends it even though the
 *    batch failed (the sweep may have charged it before it was given back; docs/workflows.md).
 * The seal costs one write per unsent message, only on this (rare) failure path.
 */
export async function failBatch(
  deps: SettleBatchDeps,
  input: { accountId: string; batchId: string; error?: { Error?: string; Cause?: string } },
) {
  const batch = await mustGet(deps, input);
  const reason = failureReason(input.error);
  const finishedAt = deps.clock.now().toISOString();
  if (batch.status === 'analysing') {
    await deps.batches.transition(batch.accountId, batch.id, 'failed', { reason, finishedAt });
    return { status: 'failed', reason };
  }
  if (!batch.finalTotals) {
    if (batch.status === 'running' || batch.status === 'paused') {
      await deps.batches.transition(batch.accountId, batch.id, 'failed', { reason, finishedAt });
    }
    // A stopped batch stays stopped (its owner stopped it); anything else sending ends failed.
    await settle(deps, batch, batch.status === 'stopped' ? 'stopped' : 'failed', reason, { seal: true });
  }
  return { status: 'failed', reason };
}

async function settle(
  deps: SettleBatchDeps,
  batch: Batch,
  to: BatchStatus,
  reason?: string,
  options: { seal?: boolean } = {},
) {
  const at = deps.clock.now().toISOString();
  const seal = options.seal
    ? { unsent: true, reason: reason ?? 'WORKFLOW_FAILED' }
    : { unsent: false, reason: `BATCH_${to.toUpperCase()}` };
  const totals = await sweep(deps, batch, at, seal);
  const fundedBy = batch.fundedBy ?? batch.accountId;
  const common = { accountId: fundedBy, by: 'system', ref: batch.id, at };
  const entries: LedgerEntry[] = [
    ...(totals.cost > 0
      ? [
          {
            ...common,
            id: deps.ids.newId(),
            amount: 0,
            reservedDelta: -totals.cost,
            spentDelta: totals.cost,
            kind: 'settle' as const,
            reason: `Batch "${batch.name}": ${totals.messages} messages, ${totals.parts} parts sent`,
          },
        ]
      : []),
    ...(totals.refunded > 0
      ? [
          {
            ...common,
            id: deps.ids.newId(),
            amount: totals.refunded,
            reservedDelta: -totals.refunded,
            kind: 'refund' as const,
            reason: `Batch "${batch.name}" ${to}${reason ? ` (${reason})` : ''}: reserved and not sent`,
          },
        ]
      : []),
  ];
  return deps.batches.settle(batch, to, totals, entries, at, reason === undefined ? {} : { reason });
}

/**
 * Reads every planned message of the batch, chunk by chunk (bounded memory), into the final totals.
 * A `queued` item is a claim its sender gave back after a throttle: unsent like no item, and sealed
 * as `cancelled` (its retried job would otherwise still submit it, see submit-batch-message.ts). With
 * `seal.unsent` (a failing batch), each message found without an item is sealed too (see `failBatch`).
 */
async function sweep(
  deps: SettleBatchDeps,
  batch: Batch,
  at: string,
  seal: { unsent: boolean; reason: string },
): Promise<BatchFinalTotals> {
  const tally = makeSettlementTally();
  if (batch.startedAt) {
    const [keys, account] = await Promise.all([
      deps.batches.chunkKeys(batch.accountId, batch.id),
      deps.accounts.get(batch.accountId),
    ]);
    const prices = makePriceIndex(await deps.prices.forAccount(account ?? {}));
    let before = 0;
    for (const key of keys) {
      const rows = parseRows(new TextDecoder().decode(await deps.files.read(key)));
      const planned = planChunkMessages(batch, rows, before, at);
      before += rows.filter((r) => r.status === 'ok').length;
      const found = await deps.messages.getMany(
        batch.accountId,
        planned.map((m) => m.id),
        { consistent: true },
      );
      const given = new Set(found.filter((m) => m.status === 'queued').map((m) => m.id));
      const statuses = new Map(found.filter((m) => !given.has(m.id)).map((m) => [m.id, m.status] as const));
      const unsealed = planned.filter((m) => given.has(m.id) || (seal.unsent && !statuses.has(m.id)));
      if (unsealed.length > 0) {
        const sealed = unsealed.map((m) => sealedMessage(m, batch.startedAt ?? at, at, seal.reason));
        // Where a sender's claim won, the sweep charges it by the status it answers (never `queued`).
        for (const claimed of await deps.messages.sealUnsent(sealed))
          statuses.set(claimed.id, claimed.status);
      }
      for (const message of planned) {
        const entry = prices.lookup(message.to);
        tally.add(
          {
            id: message.id,
            parts: message.parts,
            cost: message.cost,
            country: entry?.country ?? 'ZZ',
            ...(entry?.network ? { network: entry.network } : {}),
          },
          statuses.get(message.id),
        );
      }
    }
  }
  return tally.totals(batch.reserved ?? 0, at);
}

/** A planned message never submitted, as its seal stores it: `cancelled` with the batch's failure. */
function sealedMessage(message: Message, queuedAt: string, at: string, reason: string): Message {
  return {
    ...message,
    createdAt: queuedAt,
    status: 'cancelled',
    reason,
    events: [
      { status: 'queued', at: queuedAt },
      { status: 'cancelled', at, reason },
    ],
  };
}

/** The reason shown to the user: the task's error message (Step Functions wraps it in `Cause`). */
function failureReason(error: { Error?: string; Cause?: string } | undefined): string {
  if (!error) return 'WORKFLOW_FAILED';
  try {
    const cause = JSON.parse(error.Cause ?? '') as { errorMessage?: string; errorType?: string };
    if (cause.errorMessage) return `${cause.errorType ?? error.Error ?? 'Error'}: ${cause.errorMessage}`;
  } catch {
    // Not JSON: use the error name.
  }
  return error.Error ?? 'WORKFLOW_FAILED';
}
