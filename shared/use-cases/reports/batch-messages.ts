import type { Batch, BatchRow } from '#domain/batch/batch';
import { monitoringPositions } from '#domain/batch/monitoring';
import type { Message } from '#domain/message/message';
import type { BatchRepository } from '#ports/batch-repository';
import type { MessageRepository } from '#ports/message-repository';
import type { ObjectStore } from '#ports/object-store';

export interface BatchMessageDeps {
  readonly batches: Pick<BatchRepository, 'chunkKeys' | 'chunkMessageCounts'>;
  readonly messages: Pick<MessageRepository, 'getMany'>;
  readonly files: Pick<ObjectStore, 'read'>;
}

export interface BatchChunk {
  readonly key: string;
  /** `ok` rows in the chunks before this one (where its monitoring positions start). */
  readonly before: number;
}

function parseRows(bytes: Uint8Array): BatchRow[] {
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BatchRow);
}

/**
 * A started batch's ready chunks, in send order, each with the count of messages before it. A batch
 * never started has sent nothing: no chunks.
 */
export async function sentChunks(deps: BatchMessageDeps, batch: Batch): Promise<BatchChunk[]> {
  if (!batch.startedAt) return [];
  const [keys, counts] = await Promise.all([
    deps.batches.chunkKeys(batch.accountId, batch.id),
    deps.batches.chunkMessageCounts(batch.accountId, batch.id),
  ]);
  const chunks: BatchChunk[] = [];
  let before = 0;
  for (const [index, key] of keys.entries()) {
    chunks.push({ key, before });
    // Batches analysed before the counts were stored: count the chunk's ok rows.
    before +=
      counts.length === keys.length
        ? (counts[index] ?? 0)
        : parseRows(await deps.files.read(key)).filter((r) => r.status === 'ok').length;
  }
  return chunks;
}

/**
 * The message ids of one chunk, in send order: `<batchId>R<row>` for each `ok` row, and the monitoring
 * copies `<batchId>M<k>` after the k-th message of the batch.
 */
export async function chunkMessageIds(
  deps: BatchMessageDeps,
  batch: Batch,
  chunk: BatchChunk,
): Promise<string[]> {
  const ok = parseRows(await deps.files.read(chunk.key)).filter((r) => r.status === 'ok');
  const every = batch.options.monitoring?.every ?? 0;
  const positions = new Set(monitoringPositions(chunk.before, ok.length, every));
  const ids: string[] = [];
  ok.forEach((row, i) => {
    ids.push(`${batch.id}R${row.row}`);
    const k = chunk.before + i + 1;
    if (positions.has(k)) ids.push(`${batch.id}M${k}`);
  });
  return ids;
}

/** Messages by id with BatchGetItem; ids with no item (never sent) are simply absent. */
export async function readMessages(
  deps: BatchMessageDeps,
  batch: Batch,
  ids: readonly string[],
): Promise<Message[]> {
  return ids.length === 0 ? [] : [...(await deps.messages.getMany(batch.accountId, ids))];
}

/** The messages of one chunk (deterministic ids, BatchGetItem). */
export async function chunkMessages(
  deps: BatchMessageDeps,
  batch: Batch,
  chunk: BatchChunk,
): Promise<Message[]> {
  return readMessages(deps, batch, await chunkMessageIds(deps, batch, chunk));
}
