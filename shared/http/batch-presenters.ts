import type { Batch, BatchRow } from '#domain/batch/batch';
import { ValidationFailed } from '#domain/errors';
import { formatMoney } from '#domain/money';
import type { BatchRepository } from '#ports/batch-repository';
import type { ObjectStore } from '#ports/object-store';

/** The public shape of a batch (CONTRACT.md: id, status, summary, progress). */
export function batchView(batch: Batch) {
  return {
    id: batch.id,
    name: batch.name,
    status: batch.status,
    ...(batch.reason ? { reason: batch.reason } : {}),
    ...(batch.autoStart ? { autoStart: true } : {}),
    uploadId: batch.uploadId,
    mapping: batch.mapping,
    ...(batch.groups ? { source: { groups: batch.groups.ids }, text: batch.groups.text } : {}),
    options: batch.options,
    ...(batch.summary
      ? {
          summary: {
            ...batch.summary,
            cost: formatMoney(batch.summary.cost),
          },
        }
      : {}),
    progress: {
      queued: batch.progress.queued,
      sent: batch.progress.sent,
      delivered: batch.progress.delivered,
      failed: batch.progress.failed,
      cancelled: batch.progress.cancelled ?? 0,
      superseded: batch.progress.superseded ?? 0,
      parts: batch.progress.parts,
      cost: formatMoney(batch.progress.cost),
      successRate:
        batch.progress.delivered + batch.progress.failed === 0
          ? null
          : Math.round(
              (batch.progress.delivered / (batch.progress.delivered + batch.progress.failed)) * 10_000,
            ) / 100,
    },
    ...(batch.reserved === undefined ? {} : { reserved: formatMoney(batch.reserved) }),
    ...(batch.finalTotals
      ? {
          finalTotals: {
            ...batch.finalTotals,
            cost: formatMoney(batch.finalTotals.cost),
            refunded: formatMoney(batch.finalTotals.refunded),
            byDestination: batch.finalTotals.byDestination.map((d) => ({ ...d, cost: formatMoney(d.cost) })),
          },
        }
      : {}),
    createdAt: batch.createdAt,
    ...(batch.startedAt ? { startedAt: batch.startedAt } : {}),
    ...(batch.finishedAt ? { finishedAt: batch.finishedAt } : {}),
    ...(batch.pausedAt ? { pausedAt: batch.pausedAt } : {}),
  };
}

/** One page of the per-row preview (text, encoding, parts, cost, status, reason) from the ready chunks. */
export async function batchRowsView(
  deps: { batches: BatchRepository; files: ObjectStore },
  batch: Batch,
  page: { limit: number; cursor?: string },
) {
  if (!batch.summary) return { items: [] };
  const keys = await deps.batches.chunkKeys(batch.accountId, batch.id);
  // `<chunk>:<offset>`, checked: a negative offset never advances (a loop reading S3 until the timeout),
  // and a chunk past the end would answer the same cursor forever.
  const cursor = /^(\d{1,6}):(\d{1,6})$/.exec(page.cursor ?? '0:0');
  if (!cursor || Number(cursor[1]) >= Math.max(keys.length, 1)) throw new ValidationFailed('Invalid cursor');
  let chunk = Number(cursor[1]);
  let offset = Number(cursor[2]);
  const items: (BatchRow & { cost?: number })[] = [];
  while (items.length < page.limit && chunk < keys.length) {
    const key = keys[chunk];
    if (!key) break;
    const rows = new TextDecoder()
      .decode(await deps.files.read(key))
      .split('\n')
      .filter((l) => l !== '')
      .map((l) => JSON.parse(l) as BatchRow);
    const take = rows.slice(offset, offset + page.limit - items.length);
    items.push(...take);
    offset += take.length;
    if (offset >= rows.length) {
      chunk++;
      offset = 0;
    }
  }
  return {
    items: items.map((r) => ({ ...r, ...(r.cost === undefined ? {} : { cost: formatMoney(r.cost) }) })),
    ...(chunk < keys.length ? { cursor: `${chunk}:${offset}` } : {}),
  };
}
