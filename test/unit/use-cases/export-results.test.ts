import { describe, expect, it } from 'vitest';
import { type Batch, type BatchRow, EMPTY_PROGRESS } from '#domain/batch/batch';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import type { Message, MessageStatus } from '#domain/message/message';
import type { ObjectStore } from '#ports/object-store';
import type { SpreadsheetCell, SpreadsheetWriter } from '#ports/spreadsheet-writer';
import {
  DOWNLOAD_URL_SECONDS,
  type ExportResultsDeps,
  exportBatchResults,
  RESULT_COLUMNS,
  XLSX_MAX_ROWS,
} from '#use-cases/batches/export-results';
import { batchMessageId } from '#use-cases/batches/send-batch';
import { fixedClock, InMemoryStore } from '../../support/in-memory';

const ACCOUNT = 'acc1';
const NOW = '2026-11-24T10:00:00.000Z';

function batch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: 'b1',
    accountId: ACCOUNT,
    name: 'Toamnă',
    status: 'completed',
    uploadId: 'u1',
    mapping: { firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    options: {
      from: 'SHOP',
      speed: 0,
      dedup: true,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
    },
    summary: {
      rows: 5,
      valid: 3,
      invalid: 1,
      duplicates: 1,
      blocklisted: 0,
      messages: 3,
      parts: 3,
      cost: 1350,
      reasons: {},
      chunks: 2,
    },
    progress: EMPTY_PROGRESS,
    createdAt: NOW,
    ...overrides,
  };
}

const CHUNKS: BatchRow[][] = [
  [
    { row: 2, to: '+40722000011', text: 'Salut Ana', encoding: 'GSM-7', parts: 1, cost: 450, status: 'ok' },
    { row: 3, status: 'invalid', reason: 'INVALID_NUMBER:NOT_MOBILE' },
    { row: 4, to: '+40722000100', text: '=1+1', encoding: 'GSM-7', parts: 1, cost: 450, status: 'ok' },
  ],
  [
    { row: 5, to: '+40722000011', status: 'duplicate' },
    {
      row: 6,
      to: '+40722000222',
      text: 'Țuțu',
      encoding: 'UCS-2',
      parts: 1,
      cost: 450,
      status: 'ok',
      from: 'Promo',
      clientReference: 'ORD-6',
    },
  ],
];

function message(row: number, to: string, events: { status: MessageStatus; at: string }[]) {
  const last = events.at(-1);
  return {
    id: batchMessageId('b1', row),
    accountId: ACCOUNT,
    to,
    from: 'SHOP',
    text: 't',
    encoding: 'GSM-7',
    parts: 1,
    cost: 450,
    pricePerPart: 450,
    currency: 'EUR',
    fundedBy: ACCOUNT,
    status: last?.status ?? 'queued',
    createdAt: '2026-11-24T09:00:00.000Z',
    events,
    reference: 'ref',
    batchId: 'b1',
  } satisfies Message;
}

/** A writer that records the cells it is given and answers `size` bytes. */
function recordingWriter(size = 10) {
  const written: { rows: SpreadsheetCell[][]; expectedRows?: number }[] = [];
  const writer: SpreadsheetWriter = {
    format: 'csv',
    contentType: 'text/csv; charset=utf-8',
    async write(_columns, rows, hints) {
      const out: SpreadsheetCell[][] = [];
      for await (const row of rows) out.push([...row]);
      written.push({
        rows: out,
        ...(hints?.expectedRows === undefined ? {} : { expectedRows: hints.expectedRows }),
      });
      return new Uint8Array(size);
    },
  };
  return { writer, written };
}

function setUp(
  options: { batch?: Batch; size?: number; inlineMaxBytes?: number; readDelays?: number[] } = {},
) {
  const store = new InMemoryStore();
  store.messages.set(`${ACCOUNT}/${batchMessageId('b1', 2)}`, {
    ...message(2, '+40722000011', [
      { status: 'queued', at: '2026-11-24T09:00:00.000Z' },
      { status: 'submitted', at: '2026-11-24T09:00:01.000Z' },
      { status: 'delivered', at: '2026-11-24T09:00:03.000Z' },
    ]),
    partStates: {},
  });
  store.messages.set(`${ACCOUNT}/${batchMessageId('b1', 4)}`, {
    ...message(4, '+40722000100', [
      { status: 'queued', at: '2026-11-24T09:00:00.000Z' },
      { status: 'undelivered', at: '2026-11-24T09:00:04.000Z' },
    ]),
    partStates: {},
  });
  const objects = new Map<string, Uint8Array>(
    CHUNKS.map((rows, i) => [
      `ready/${i}`,
      new TextEncoder().encode(`${rows.map((r) => JSON.stringify(r)).join('\n')}\n`),
    ]),
  );
  const writes: { key: string; bytes: number; contentType: string }[] = [];
  const reads: string[] = [];
  const files = {
    read: async (key: string) => {
      const delay = options.readDelays?.[Number(key.split('/')[1])] ?? 0;
      await new Promise((r) => setTimeout(r, delay));
      reads.push(key);
      const bytes = objects.get(key);
      if (!bytes) throw new Error(`no object ${key}`);
      return bytes;
    },
    write: async (key: string, body: string | Uint8Array, contentType: string) => {
      writes.push({ key, bytes: typeof body === 'string' ? body.length : body.byteLength, contentType });
    },
    presignGet: async (key: string, seconds: number) => `https://s3.example/${key}?expires=${seconds}`,
  } as unknown as ObjectStore;
  let messageReads = 0;
  const { writer, written } = recordingWriter(options.size);
  const current = options.batch ?? batch();
  const deps: ExportResultsDeps = {
    batches: {
      get: async (accountId, id) => (accountId === ACCOUNT && id === current.id ? current : undefined),
      chunkKeys: async () => CHUNKS.map((_, i) => `ready/${i}`),
    },
    messages: {
      getMany: async (accountId, ids) => {
        messageReads++;
        return store.messageRepo.getMany(accountId, ids);
      },
    },
    files,
    writers: { csv: writer, xlsx: { ...writer, format: 'xlsx' } },
    clock: fixedClock(NOW),
    ...(options.inlineMaxBytes === undefined ? {} : { inlineMaxBytes: options.inlineMaxBytes }),
  };
  return { deps, written, writes, reads, messageReads: () => messageReads, objects };
}

describe('exportBatchResults', () => {
  it('assembles every row in file order with the analysis and, for sent rows, the message state', async () => {
    // Arrange: chunk 0 reads slower than chunk 1 (read-ahead must keep the order).
    const { deps, written } = setUp({ readDelays: [30, 0] });

    // Act
    const file = await exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'b1', format: 'csv' });

    // Assert
    expect(file).toEqual({
      kind: 'inline',
      fileName: 'Toamnă-results.csv',
      contentType: 'text/csv; charset=utf-8',
      body: new Uint8Array(10),
    });
    expect(RESULT_COLUMNS.map((c) => c.header)).toEqual([
      'row',
      'to (digits)',
      'text',
      'encoding',
      'parts',
      'cost',
      'analysis',
      'reason',
      'status',
      'status at',
      'message id',
      'from',
      'client reference',
    ]);
    expect(written[0]?.expectedRows).toBe(5);
    expect(written[0]?.rows).toEqual([
      [
        2,
        '+40722000011',
        'Salut Ana',
        'GSM-7',
        1,
        '0.0450',
        'ok',
        undefined,
        'delivered',
        '2026-11-24T09:00:03.000Z',
        'b1R2',
        'SHOP',
        undefined,
      ],
      [
        3,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        'invalid',
        'INVALID_NUMBER:NOT_MOBILE',
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ],
      [
        4,
        '+40722000100',
        '=1+1',
        'GSM-7',
        1,
        '0.0450',
        'ok',
        undefined,
        'undelivered',
        '2026-11-24T09:00:04.000Z',
        'b1R4',
        'SHOP',
        undefined,
      ],
      [
        5,
        '+40722000011',
        undefined,
        undefined,
        undefined,
        undefined,
        'duplicate',
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
        undefined,
      ],
      // Valid but never sent (the batch was stopped before its chunk): no message state. Its own sender
      // and client reference are shown.
      [
        6,
        '+40722000222',
        'Țuțu',
        'UCS-2',
        1,
        '0.0450',
        'ok',
        undefined,
        undefined,
        undefined,
        undefined,
        'Promo',
        'ORD-6',
      ],
    ]);
  });

  it('reads no message for a batch that never sent anything', async () => {
    const { deps, written, messageReads } = setUp({ batch: batch({ status: 'ready' }) });
    await exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'b1', format: 'xlsx' });
    expect(messageReads()).toBe(0);
    expect(written[0]?.rows.map((r) => r[8])).toEqual([
      undefined,
      undefined,
      undefined,
      undefined,
      undefined,
    ]);
  });

  it('stores a file too big to answer inline and answers a presigned URL', async () => {
    // Arrange
    const { deps, writes } = setUp({ size: 101, inlineMaxBytes: 100 });

    // Act
    const file = await exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'b1', format: 'xlsx' });

    // Assert
    expect(writes).toEqual([
      { key: `batches/${ACCOUNT}/b1/results.xlsx`, bytes: 101, contentType: 'text/csv; charset=utf-8' },
    ]);
    expect(file).toEqual({
      kind: 'link',
      fileName: 'Toamnă-results.xlsx',
      url: `https://s3.example/batches/${ACCOUNT}/b1/results.xlsx?expires=${DOWNLOAD_URL_SECONDS}`,
      expiresAt: '2026-11-24T10:15:00.000Z',
    });
  });

  it('answers inline exactly up to the limit', async () => {
    const { deps, writes } = setUp({ size: 100, inlineMaxBytes: 100 });
    const file = await exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'b1', format: 'csv' });
    expect(file.kind).toBe('inline');
    expect(writes).toEqual([]);
  });

  it("is not found for another account's batch or an unknown id", async () => {
    const { deps } = setUp();
    await expect(
      exportBatchResults(deps, { accountId: 'other' }, { batchId: 'b1', format: 'csv' }),
    ).rejects.toThrow(NotFound);
    await expect(
      exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'nope', format: 'csv' }),
    ).rejects.toThrow(NotFound);
  });

  it.each([
    ['analysing', batch({ status: 'analysing' })],
    [
      'failed during the analysis (no summary)',
      (({ summary: _, ...b }) => ({ ...b, status: 'failed' }) as Batch)(batch()),
    ],
  ])('is a 409 BATCH_NOT_READY for a batch %s', async (_, b) => {
    const { deps } = setUp({ batch: b });
    const error = await exportBatchResults(
      deps,
      { accountId: ACCOUNT },
      { batchId: 'b1', format: 'csv' },
    ).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(Conflict);
    expect((error as Conflict).code).toBe('BATCH_NOT_READY');
  });

  it('refuses an xlsx too big to write in time, and still writes it as CSV', async () => {
    const base = batch();
    const big = batch({
      summary: { ...(base.summary as NonNullable<Batch['summary']>), rows: XLSX_MAX_ROWS + 1 },
    });
    const { deps } = setUp({ batch: big });
    await expect(
      exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'b1', format: 'xlsx' }),
    ).rejects.toThrow(ValidationFailed);
    const file = await exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'b1', format: 'csv' });
    expect(file.kind).toBe('inline');
  });

  it('fails (and leaks no unhandled rejection) when a chunk cannot be read', async () => {
    const { deps, objects } = setUp({ readDelays: [20, 0] });
    objects.delete('ready/1');
    await expect(
      exportBatchResults(deps, { accountId: ACCOUNT }, { batchId: 'b1', format: 'csv' }),
    ).rejects.toThrow('no object ready/1');
  });
});
