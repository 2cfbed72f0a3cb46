import { describe, expect, it } from 'vitest';
import { openSpreadsheet } from '#adapters/spreadsheet/spreadsheet';
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import type { Batch, BatchRow } from '#domain/batch/batch';
import { JOIN_UNFINISHED_MS, type ResultsExport, XLSX_SHEET_MAX_ROWS } from '#domain/batch/results-export';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import type { ObjectStore } from '#ports/object-store';
import { DOWNLOAD_URL_SECONDS } from '#use-cases/batches/export-results';
import { getResultsExport, requestResultsExport } from '#use-cases/batches/results-exports';
import { exportFileKey, type RunExportDeps, runResultsExport } from '#use-cases/batches/run-results-export';
import { batchMessageId } from '#use-cases/batches/send-batch';
import { parseCsv } from '../../../support/csv';
import { InMemoryStore, sequentialIds, testBatch, testMessage } from '../../../support/in-memory';
import {
  InMemoryObjects,
  InMemoryResultsExports,
  RecordingExportQueue,
} from '../../../support/in-memory-exports';

const ACCOUNT = 'acc1';
const jobOf = (e: ResultsExport) => ({ accountId: e.accountId, batchId: e.batchId, exportId: e.id });
const NOW = '2026-11-24T10:00:00.000Z';
const SUMMARY = {
  rows: 3,
  valid: 2,
  invalid: 1,
  duplicates: 0,
  blocklisted: 0,
  messages: 2,
  parts: 2,
  cost: 900,
  reasons: {},
  chunks: 2,
};
const CHUNKS: BatchRow[][] = [
  [
    {
      row: 2,
      to: '+40722000011',
      text: '=HYPERLINK("x")',
      encoding: 'GSM-7',
      parts: 1,
      cost: 450,
      status: 'ok',
    },
    { row: 3, status: 'invalid', reason: 'INVALID_NUMBER:NOT_MOBILE' },
  ],
  [
    {
      row: 4,
      to: '+40722000100',
      text: 'Bună, Ștefan',
      encoding: 'UCS-2',
      parts: 1,
      cost: 450,
      status: 'ok',
    },
  ],
];

function setUp(options: { batch?: Partial<Batch>; now?: string } = {}) {
  let now = new Date(options.now ?? NOW);
  const clock = { now: () => now };
  const batch = testBatch({ status: 'completed', summary: SUMMARY, ...options.batch });
  const store = new InMemoryStore();
  store.messages.set(`${ACCOUNT}/${batchMessageId('b1', 2)}`, {
    ...testMessage({
      id: batchMessageId('b1', 2),
      batchId: 'b1',
      status: 'delivered',
      events: [{ status: 'delivered', at: '2026-11-24T09:00:03.000Z' }],
    }),
    partStates: {},
  });
  const files = new InMemoryObjects();
  CHUNKS.forEach((rows, i) => {
    files.objects.set(`ready/${i}`, {
      bytes: new TextEncoder().encode(rows.map((r) => JSON.stringify(r)).join('\n')),
      contentType: 'application/x-ndjson',
    });
  });
  const exports = new InMemoryResultsExports(clock.now);
  const queue = new RecordingExportQueue();
  const batches = {
    get: async (accountId: string, id: string) =>
      accountId === ACCOUNT && id === batch.id ? batch : undefined,
    chunkKeys: async () => CHUNKS.map((_, i) => `ready/${i}`),
  };
  const request = { batches, exports, queue, ids: sequentialIds(), clock };
  const run: RunExportDeps = {
    batches,
    messages: { getMany: (accountId, ids) => store.messageRepo.getMany(accountId, ids) },
    files: files as unknown as ObjectStore,
    exports,
    writers: { csv: csvWriter, xlsx: makeXlsxWriter() },
    clock,
  };
  const advance = (ms: number) => {
    now = new Date(now.getTime() + ms);
  };
  return { request, run, exports, queue, files, advance, caller: { accountId: ACCOUNT } };
}

describe('requestResultsExport', () => {
  it('creates a pending export, queues it, and joins it while it is unfinished', async () => {
    // Arrange
    const { request, queue, caller } = setUp();

    // Act
    const first = await requestResultsExport(request, caller, { batchId: 'b1', format: 'xlsx' });
    const again = await requestResultsExport(request, caller, { batchId: 'b1', format: 'xlsx' });
    const csv = await requestResultsExport(request, caller, { batchId: 'b1', format: 'csv' });

    // Assert
    expect(first).toMatchObject({
      created: true,
      export: { status: 'pending', format: 'xlsx', batchId: 'b1' },
    });
    expect(first.export.expiresAt).toBe('2026-12-01T10:00:00.000Z');
    expect(again).toEqual({ export: first.export, created: false });
    expect(csv.created).toBe(true);
    expect(queue.jobs).toEqual([
      { accountId: ACCOUNT, batchId: 'b1', exportId: first.export.id },
      { accountId: ACCOUNT, batchId: 'b1', exportId: csv.export.id },
    ]);
  });

  it('starts a new export once the previous one finished, or was lost', async () => {
    // Arrange
    const { request, run, exports, advance, caller } = setUp();
    const first = await requestResultsExport(request, caller, { batchId: 'b1', format: 'csv' });
    await runResultsExport(run, jobOf(first.export), { lastAttempt: false });

    // Act
    const afterReady = await requestResultsExport(request, caller, { batchId: 'b1', format: 'csv' });
    advance(JOIN_UNFINISHED_MS);
    const afterLost = await requestResultsExport(request, caller, { batchId: 'b1', format: 'csv' });

    // Assert
    expect(afterReady.created).toBe(true);
    expect(afterReady.export.id).not.toBe(first.export.id);
    expect(afterLost.created).toBe(true);
    expect(afterLost.export.id).not.toBe(afterReady.export.id);
    expect(exports.exports.size).toBe(3);
  });

  it('answers the same export for the same Idempotency-Key, even when finished', async () => {
    // Arrange
    const { request, run, caller } = setUp();
    const input = { batchId: 'b1', format: 'csv' as const, idempotencyKey: 'k-1' };
    const first = await requestResultsExport(request, caller, input);
    await runResultsExport(run, jobOf(first.export), { lastAttempt: false });

    // Act
    const replay = await requestResultsExport(request, caller, input);
    const other = await requestResultsExport(request, caller, { ...input, idempotencyKey: 'k-2' });

    // Assert
    expect(replay.created).toBe(false);
    expect(replay.export).toMatchObject({ id: first.export.id, status: 'ready', idempotencyKey: 'k-1' });
    expect(other.created).toBe(true);
  });

  it('starts anew once the export holding the slot expired (its slot still in the table)', async () => {
    // Arrange
    const { request, advance, caller } = setUp();
    const input = { batchId: 'b1', format: 'csv' as const, idempotencyKey: 'k-1' };
    const first = await requestResultsExport(request, caller, input);
    advance(7 * 86_400_000);

    // Act
    const later = await requestResultsExport(request, caller, input);

    // Assert
    expect(later.created).toBe(true);
    expect(later.export.id).not.toBe(first.export.id);
  });

  it('refuses another account, an unanalysed batch and an xlsx larger than a sheet', async () => {
    // Arrange
    const big = setUp({ batch: { summary: { ...SUMMARY, rows: XLSX_SHEET_MAX_ROWS + 1 } } });
    const analysing = setUp({ batch: { status: 'analysing' } });

    // Act + Assert
    await expect(
      requestResultsExport(big.request, { accountId: 'other' }, { batchId: 'b1', format: 'csv' }),
    ).rejects.toBeInstanceOf(NotFound);
    await expect(
      requestResultsExport(analysing.request, analysing.caller, { batchId: 'b1', format: 'csv' }),
    ).rejects.toBeInstanceOf(Conflict);
    await expect(
      requestResultsExport(big.request, big.caller, { batchId: 'b1', format: 'xlsx' }),
    ).rejects.toBeInstanceOf(ValidationFailed);
    const csv = await requestResultsExport(big.request, big.caller, { batchId: 'b1', format: 'csv' });
    expect(csv.created).toBe(true);
  });

  it('fails the export when it cannot be queued, so that a retry is not joined to it', async () => {
    // Arrange
    const { request, queue, exports, caller } = setUp();
    queue.failWith = new Error('SQS is down');

    // Act
    await expect(requestResultsExport(request, caller, { batchId: 'b1', format: 'csv' })).rejects.toThrow(
      'SQS is down',
    );
    queue.failWith = undefined;
    const retry = await requestResultsExport(request, caller, { batchId: 'b1', format: 'csv' });

    // Assert
    expect([...exports.exports.values()].map((e) => e.status).sort()).toEqual(['failed', 'pending']);
    expect(retry.created).toBe(true);
  });
});

describe('runResultsExport and getResultsExport', () => {
  it('streams every row, guarded, to the file and answers a download link once ready', async () => {
    // Arrange
    const { request, run, files, caller } = setUp();
    const { export: requested } = await requestResultsExport(request, caller, {
      batchId: 'b1',
      format: 'csv',
    });
    const key = { batchId: 'b1', exportId: requested.id };
    const pending = await getResultsExport({ ...run, files: files }, caller, key);

    // Act
    const outcome = await runResultsExport(run, jobOf(requested), { lastAttempt: false });
    const ready = await getResultsExport({ ...run, files }, caller, key);

    // Assert
    expect(pending).toEqual({ export: requested });
    expect(outcome).toBe('ready');
    const fileKey = exportFileKey(requested);
    expect(fileKey).toBe(`batches/${ACCOUNT}/b1/exports/${requested.id}.csv`);
    expect(ready.export).toMatchObject({ status: 'ready', rows: 3, fileKey });
    expect(ready.download).toEqual({
      url: `https://s3.example/${fileKey}?expires=${DOWNLOAD_URL_SECONDS}`,
      expiresAt: '2026-11-24T10:15:00.000Z',
    });
    const object = files.objects.get(fileKey);
    expect(object?.contentType).toBe('text/csv; charset=utf-8');
    expect(ready.export.bytes).toBe(object?.bytes.byteLength);
    const rows = parseCsv(new TextDecoder().decode(object?.bytes).replace(/^\uFEFF/, ''));
    expect(rows.map((r) => r.slice(0, 9))).toEqual([
      ['row', 'to (digits)', 'text', 'encoding', 'parts', 'cost', 'analysis', 'reason', 'status'],
      ['2', '40722000011', `'=HYPERLINK("x")`, 'GSM-7', '1', '0.0450', 'ok', '', 'delivered'],
      ['3', '', '', '', '', '', 'invalid', 'INVALID_NUMBER:NOT_MOBILE', ''],
      ['4', '40722000100', 'Bună, Ștefan', 'UCS-2', '1', '0.0450', 'ok', '', ''],
    ]);
  });

  it('writes an xlsx the project reader reads back, formula-guarded', async () => {
    // Arrange
    const { request, run, files, caller } = setUp();
    const { export: requested } = await requestResultsExport(request, caller, {
      batchId: 'b1',
      format: 'xlsx',
    });

    // Act
    await runResultsExport(run, jobOf(requested), { lastAttempt: false });

    // Assert
    const bytes = files.objects.get(exportFileKey(requested))?.bytes ?? new Uint8Array();
    const book = await openSpreadsheet(bytes);
    const rows: unknown[][] = [];
    // The reader leaves out trailing empty cells.
    for await (const row of book.rows()) rows.push(Array.from({ length: 9 }, (_, i) => row.cells[i] ?? null));
    expect(rows).toEqual([
      ['row', 'to (digits)', 'text', 'encoding', 'parts', 'cost', 'analysis', 'reason', 'status'],
      [2, '40722000011', `'=HYPERLINK("x")`, 'GSM-7', 1, '0.0450', 'ok', null, 'delivered'],
      [3, null, null, null, null, null, 'invalid', 'INVALID_NUMBER:NOT_MOBILE', null],
      [4, '40722000100', 'Bună, Ștefan', 'UCS-2', 1, '0.0450', 'ok', null, null],
    ]);
  });

  it('aborts a broken upload: thrown for a retry, then failed on the last attempt; duplicates skipped', async () => {
    // Arrange
    const { request, run, files, exports, caller } = setUp();
    const { export: requested } = await requestResultsExport(request, caller, {
      batchId: 'b1',
      format: 'csv',
    });
    files.failAfterBytes = 0;

    // Act + Assert
    await expect(runResultsExport(run, jobOf(requested), { lastAttempt: false })).rejects.toThrow(
      'S3 is down',
    );
    expect((await exports.get(ACCOUNT, 'b1', requested.id))?.status).toBe('running');
    expect(await runResultsExport(run, jobOf(requested), { lastAttempt: true })).toBe('failed');
    expect(await exports.get(ACCOUNT, 'b1', requested.id)).toMatchObject({
      status: 'failed',
      reason: 'EXPORT_FAILED',
    });
    expect(files.aborted).toEqual([exportFileKey(requested), exportFileKey(requested)]);
    expect(files.objects.has(exportFileKey(requested))).toBe(false);
    expect(await runResultsExport(run, jobOf(requested), { lastAttempt: false })).toBe('skipped');
    expect(
      await runResultsExport(run, { ...jobOf(requested), exportId: 'nope' }, { lastAttempt: false }),
    ).toBe('skipped');
  });

  it('answers 404 for another account and for an expired export', async () => {
    // Arrange
    const { request, run, advance, caller } = setUp();
    const { export: requested } = await requestResultsExport(request, caller, {
      batchId: 'b1',
      format: 'csv',
    });
    const key = { batchId: 'b1', exportId: requested.id };

    // Act + Assert
    await expect(getResultsExport(run, { accountId: 'other' }, key)).rejects.toBeInstanceOf(NotFound);
    advance(7 * 86_400_000);
    await expect(getResultsExport(run, caller, key)).rejects.toBeInstanceOf(NotFound);
  });
});
