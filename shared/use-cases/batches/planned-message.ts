import type { Batch, BatchRow, BatchStatus } from '#domain/batch/batch';
import type { Message } from '#domain/message/message';
import type { BatchRepository } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';
import { CHUNK_ROWS } from '../files/sheet-chunks';
import { parseRows, planChunkMessages } from './batch-messages';

export interface PlannedMessageDeps {
  readonly batches: Pick<BatchRepository, 'get' | 'chunkKeys' | 'chunkMessageCounts'>;
  readonly files: Pick<ObjectStore, 'read'>;
}

/** `${batchId}R${row}` or `${batchId}M${k}` (batch-messages.ts); the last R/M followed by digits. */
export function parseBatchMessageId(id: string) {
  const match = /^(.+)([RM])(\d{1,9})$/.exec(id);
  if (!match?.[1] || !match[3]) return undefined;
  return { batchId: match[1], kind: match[2] as 'R' | 'M', n: Number(match[3]) };
}

/** Sending, or waiting to: a planned message not yet submitted is on its way. */
const PENDING: ReadonlySet<BatchStatus> = new Set(['scheduled', 'running', 'paused']);

/**
 * A batch message whose item does not exist yet. The item is written only when the sender submits it
 * (docs/cost.md: no write per message at enqueue), so the message is re-derived, read-only, from the
 * batch's ready chunk exactly as the send workflow planned it: `queued` while the batch still sends,
 * `cancelled` once it ended without sending it (stopped, failed). A row that was invalid, duplicate or
 * blocklisted, a batch never started, or an id that is not a batch message's: undefined (not found).
 * Cost: the batch item, its chunk list and usually one chunk read from S3 (rows are numbered in file
 * order, so the chunk of row r is found by a search that starts where r would be without gaps).
 */
export async function plannedBatchMessage(
  deps: PlannedMessageDeps,
  accountId: string,
  messageId: string,
): Promise<Message | undefined> {
  const parsed = parseBatchMessageId(messageId);
  if (!parsed) return undefined;
  const batch = await deps.batches.get(accountId, parsed.batchId);
  if (!batch?.startedAt) return undefined;
  const [keys, counts] = await Promise.all([
    deps.batches.chunkKeys(accountId, batch.id),
    deps.batches.chunkMessageCounts(accountId, batch.id),
  ]);
  const found =
    parsed.kind === 'R'
      ? await chunkOfRow(deps, batch, keys, parsed.n)
      : await chunkOfMessage(deps, keys, counts, parsed.n);
  if (!found) return undefined;
  const before = counts.slice(0, found.index).reduce((t, n) => t + n, 0);
  const planned = planChunkMessages(batch, found.rows, before, batch.startedAt).find(
    (m) => m.id === messageId,
  );
  if (!planned) return undefined;
  if (PENDING.has(batch.status)) return planned;
  const at = batch.finishedAt ?? batch.startedAt;
  const reason = `BATCH_${batch.status.toUpperCase()}`;
  return {
    ...planned,
    status: 'cancelled',
    reason,
    events: [...planned.events, { status: 'cancelled', at, reason }],
  };
}

async function readChunk(deps: PlannedMessageDeps, key: string): Promise<BatchRow[]> {
  return parseRows(new TextDecoder().decode(await deps.files.read(key)));
}

/**
 * Rows are in file order, CHUNK_ROWS per chunk: without skipped rows the first guess is right; a file
 * with gaps puts the row earlier, found by binary search (≤ log2(chunks) + 1 reads).
 */
async function chunkOfRow(deps: PlannedMessageDeps, batch: Batch, keys: readonly string[], row: number) {
  let lo = 0;
  let hi = keys.length - 1;
  const firstRow = batch.mapping?.firstRow ?? 1;
  let probe = Math.min(hi, Math.max(0, Math.floor((row - firstRow) / CHUNK_ROWS)));
  while (lo <= hi) {
    const key = keys[probe];
    if (key === undefined) return undefined;
    const rows = await readChunk(deps, key);
    const first = rows[0]?.row ?? Number.POSITIVE_INFINITY;
    const last = rows.at(-1)?.row ?? Number.NEGATIVE_INFINITY;
    if (row < first) hi = probe - 1;
    else if (row > last) lo = probe + 1;
    else return { index: probe, rows };
    probe = Math.floor((lo + hi) / 2);
  }
  return undefined;
}

/** Monitoring message `k` follows the k-th message of the batch: in the chunk whose counts reach k. */
async function chunkOfMessage(
  deps: PlannedMessageDeps,
  keys: readonly string[],
  counts: readonly number[],
  k: number,
) {
  let through = 0;
  for (const [index, count] of counts.entries()) {
    through += count;
    const key = keys[index];
    if (k <= through && key !== undefined) return { index, rows: await readChunk(deps, key) };
  }
  return undefined;
}
