import type { Batch, BatchRow, BatchSummary } from '#domain/batch/batch';
import { monitoringCount, monitoringText } from '#domain/batch/monitoring';
import { blocklistReason } from '#domain/blocklist/blocklist';
import { analyseText, checkMaxParts } from '#domain/message/encoding';
import { smartEncode } from '#domain/message/smart-encoding';
import { quote } from '#domain/pricing/price-list';
import type { AccountRepository, BlocklistRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';
import type { PriceListRepository } from '#ports/price-lists';
import { objectKeys } from '#topology/workflows';

export interface AnalyseDeps {
  readonly batches: BatchRepository;
  readonly accounts: AccountRepository;
  readonly blocklist: BlocklistRepository;
  readonly prices: PriceListRepository;
  readonly files: ObjectStore;
}

/** One chunk's share of the summary (the summary's counts, summed over the chunks). */
export type ChunkStats = Pick<
  BatchSummary,
  'rows' | 'valid' | 'invalid' | 'duplicates' | 'blocklisted' | 'messages' | 'parts' | 'cost'
> & { readonly index: number; readonly key: string; readonly reasons: Record<string, number> };

function readRows(bytes: Uint8Array): BatchRow[] {
  return new TextDecoder()
    .decode(bytes)
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line) as BatchRow);
}

/**
 * What a chunk's analysis answers the workflow: its index, nothing that grows with the chunk's contents.
 * The counts go to S3 beside the chunk (`objectKeys.chunkStats`), so the Map's state stays a few bytes
 * per chunk however many rows and reasons a batch has (Step Functions caps the state at 256 KiB).
 */
export interface ChunkDone {
  readonly index: number;
}

/**
 * One chunk of the analysis, after parsing.
 * 1. Drop numbers on the account's or the platform's blocklist (when the batch asks for it; the
 *    platform's list always applies).
 * 2. Smart-encode (when asked), count encoding and parts, enforce the account's part cap, price each row.
 * 3. Write the ready chunk (the per-row preview and what the sender sends), then its counts beside it.
 */
export async function analyseBatchChunk(
  deps: AnalyseDeps,
  input: { accountId: string; batchId: string; chunk: { index: number; key: string } },
): Promise<ChunkDone> {
  const batch = await mustGet(deps, input);
  const account = await deps.accounts.get(batch.accountId);
  if (!account) throw new Error('Account not found');
  const priceList = await deps.prices.forAccount(account);
  const rows = readRows(await deps.files.read(input.chunk.key));
  // Each number once: a batch without number de-duplication repeats numbers, and BatchGetItem refuses
  // duplicate keys (the whole analysis failed on it).
  const candidates = [...new Set(rows.filter((r) => r.status === 'ok' && r.to).map((r) => r.to as string))];
  const blocked = await deps.blocklist.findMany(batch.accountId, candidates);
  const stats = {
    rows: rows.length,
    valid: 0,
    invalid: 0,
    duplicates: 0,
    blocklisted: 0,
    messages: 0,
    parts: 0,
    cost: 0,
  };
  const reasons: Record<string, number> = {};
  const out = rows.map((row): BatchRow => {
    const analysed = analyseRow(row, batch, blocked.get(row.to ?? ''), account.maxParts, (to, parts) =>
      quote(priceList, to, parts),
    );
    if (analysed.status === 'ok') {
      stats.valid++;
      stats.messages++;
      stats.parts += analysed.parts ?? 0;
      stats.cost += analysed.cost ?? 0;
    } else if (analysed.status === 'duplicate') stats.duplicates++;
    else if (analysed.status === 'blocklisted') stats.blocklisted++;
    else {
      stats.invalid++;
      // Rows the parse found invalid are in the parse's own reasons already: only new ones count here.
      if (row.status === 'ok') {
        const reason = analysed.reason ?? 'INVALID';
        reasons[reason] = (reasons[reason] ?? 0) + 1;
      }
    }
    return analysed;
  });
  const key = objectKeys.chunk(batch.accountId, batch.id, 'ready', input.chunk.index);
  await deps.files.write(key, `${out.map((r) => JSON.stringify(r)).join('\n')}\n`, 'application/x-ndjson');
  const chunkStats: ChunkStats = { index: input.chunk.index, key, ...stats, reasons };
  await deps.files.write(
    objectKeys.chunkStats(batch.accountId, batch.id, input.chunk.index),
    JSON.stringify(chunkStats),
    'application/json',
  );
  return { index: input.chunk.index };
}

/** Chunk stats reads in flight at once: 1 000 chunks take a second or two, far below S3's request rate. */
const STATS_READS_IN_FLIGHT = 16;

/** Every chunk's counts, as `analyseBatchChunk` wrote them, in chunk order. */
async function readChunkStats(
  deps: Pick<AnalyseDeps, 'files'>,
  input: { accountId: string; batchId: string },
  chunks: readonly { index: number }[],
): Promise<ChunkStats[]> {
  const stats: ChunkStats[] = new Array(chunks.length);
  let next = 0;
  const worker = async () => {
    for (let i = next++; i < chunks.length; i = next++) {
      const index = chunks[i]?.index ?? i;
      const bytes = await deps.files.read(objectKeys.chunkStats(input.accountId, input.batchId, index));
      stats[i] = JSON.parse(new TextDecoder().decode(bytes)) as ChunkStats;
    }
  };
  await Promise.all(Array.from({ length: Math.min(STATS_READS_IN_FLIGHT, chunks.length) }, worker));
  return stats.sort((a, b) => a.index - b.index);
}

function analyseRow(
  row: BatchRow,
  batch: Batch,
  blockedOn: 'account' | 'global' | undefined,
  maxParts: number,
  price: (to: string, parts: number) => ReturnType<typeof quote>,
): BatchRow {
  if (row.status !== 'ok' || !row.to || row.text === undefined) return row;
  // The row's own sender, reference and report URL travel on (only rows that have them carry them).
  const own = {
    ...(row.from === undefined ? {} : { from: row.from }),
    ...(row.clientReference === undefined ? {} : { clientReference: row.clientReference }),
    ...(row.reportUrl === undefined ? {} : { reportUrl: row.reportUrl }),
  };
  const refused = (status: 'invalid' | 'blocklisted', reason: string): BatchRow => ({
    row: row.row,
    to: row.to,
    status,
    reason,
    ...own,
  });
  if (blockedOn === 'global' || (blockedOn === 'account' && batch.options.blocklist)) {
    return refused('blocklisted', blocklistReason(blockedOn));
  }
  const text = batch.options.smartEncoding ? smartEncode(row.text).text : row.text;
  const analysis = analyseText(text);
  if (analysis.parts === 0) return refused('invalid', 'EMPTY_TEXT');
  if (!checkMaxParts(analysis, maxParts).ok) return refused('invalid', 'TOO_MANY_PARTS');
  const priced = price(row.to, analysis.parts);
  if (!priced.ok) return refused('invalid', 'NOT_ROUTABLE');
  return {
    row: row.row,
    to: row.to,
    text,
    encoding: analysis.encoding,
    parts: analysis.parts,
    cost: priced.cost,
    status: 'ok',
    ...own,
  };
}

async function mustGet(deps: Pick<AnalyseDeps, 'batches'>, input: { accountId: string; batchId: string }) {
  const batch = await deps.batches.get(input.accountId, input.batchId);
  if (!batch) throw new Error(`Batch ${input.batchId} not found`);
  return batch;
}

/**
 * The end of the analysis: the chunks' counts are read back from S3 and added up; the summary (rows,
 * valid, invalid with reasons, duplicates, blocklisted, messages, parts, cost) is stored with the ready chunks' keys and the batch becomes `ready`.
 */
export async function summariseBatch(
  deps: Pick<AnalyseDeps, 'batches' | 'accounts' | 'prices' | 'files'>,
  input: {
    accountId: string;
    batchId: string;
    parse: {
      chunks: readonly { index: number }[];
      rows: number;
      invalid: number;
      duplicates: number;
      reasons: Record<string, number>;
    };
  },
) {
  const chunks = await readChunkStats(deps, input, input.parse.chunks);
  const sum = (pick: (c: ChunkStats) => number) => chunks.reduce((total, c) => total + pick(c), 0);
  const reasons: Record<string, number> = { ...input.parse.reasons };
  for (const chunk of chunks) {
    for (const [reason, count] of Object.entries(chunk.reasons))
      reasons[reason] = (reasons[reason] ?? 0) + count;
  }
  const monitoring = await monitoringCost(
    deps,
    input,
    sum((c) => c.messages),
  );
  const summary: BatchSummary = {
    rows: input.parse.rows,
    valid: sum((c) => c.valid),
    invalid: sum((c) => c.invalid),
    duplicates: input.parse.duplicates,
    blocklisted: sum((c) => c.blocklisted),
    messages: sum((c) => c.messages) + monitoring.messages,
    parts: sum((c) => c.parts) + monitoring.parts,
    cost: sum((c) => c.cost) + monitoring.cost,
    reasons,
    chunks: chunks.length,
    ...(monitoring.messages > 0 ? { monitoring } : {}),
  };
  const ready = await deps.batches.transition(input.accountId, input.batchId, 'ready', {
    summary,
    chunkKeys: chunks.map((c) => c.key),
    chunkMessages: chunks.map((c) => c.messages),
  });
  // The workflow's IsAutoStart choice reads this (always a boolean: a missing path fails a Choice).
  return { status: ready?.status ?? 'cancelled', summary, autoStart: ready?.autoStart === true };
}

/** Monitoring messages are part of what the batch sends, so they are counted and priced (and reserved). */
async function monitoringCost(
  deps: Pick<AnalyseDeps, 'batches' | 'accounts' | 'prices'>,
  input: { accountId: string; batchId: string },
  messages: number,
): Promise<{ messages: number; parts: number; cost: number }> {
  const batch = await deps.batches.get(input.accountId, input.batchId);
  const monitor = batch?.options.monitoring;
  const account = await deps.accounts.get(input.accountId);
  if (!batch || !monitor || !account) return { messages: 0, parts: 0, cost: 0 };
  const count = monitoringCount(messages, monitor.every);
  const parts = analyseText(monitoringText(batch.name, messages)).parts;
  const price = quote(await deps.prices.forAccount(account), monitor.number, parts);
  if (!price.ok) throw new Error(`The monitoring number ${monitor.number} is not routable`);
  return { messages: count, parts: count * parts, cost: count * price.cost };
}
