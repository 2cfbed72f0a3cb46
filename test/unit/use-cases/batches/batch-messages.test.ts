import { describe, expect, it } from 'vitest';
import { batchMessageItem } from '#adapters/dynamodb/message-item';
import { type Batch, type BatchRow, EMPTY_PROGRESS } from '#domain/batch/batch';
import { statusCallbackBody } from '#domain/callbacks/callback';
import { reportCallbackJob } from '#domain/callbacks/report-url';
import { jobMessage, planChunkMessages, submittedMessage } from '#use-cases/batches/batch-messages';

const NOW = '2026-11-24T10:00:00.000Z';

function batch(overrides: Partial<Batch['options']> = {}): Batch {
  return {
    id: 'b1',
    accountId: 'acc1',
    name: 'Comenzi',
    status: 'running',
    uploadId: 'u1',
    mapping: { firstRow: 2, phoneColumn: 'A', messageColumn: 'C', senderColumn: 'B' },
    options: {
      from: 'Shop',
      speed: 0,
      dedup: false,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
      ...overrides,
    },
    summary: {
      rows: 2,
      valid: 2,
      invalid: 0,
      duplicates: 0,
      blocklisted: 0,
      messages: 3,
      parts: 3,
      cost: 1350,
      reasons: {},
      chunks: 1,
      monitoring: { messages: 1, parts: 1, cost: 450 },
    },
    progress: EMPTY_PROGRESS,
    createdAt: NOW,
    startedAt: NOW,
  };
}

const ok = { encoding: 'GSM-7', parts: 1, cost: 450, status: 'ok' } as const;
const ROWS: BatchRow[] = [
  { row: 2, to: '+40722000001', text: 'Salut', ...ok },
  {
    row: 3,
    to: '+40722000002',
    text: 'Comanda #123',
    ...ok,
    from: 'Promo',
    clientReference: 'ORD-123',
    reportUrl: 'https://shop.example.ro/dlr/%d',
  },
];

describe('a row with its own sender, reference and report URL becomes that message', () => {
  it('plans the row sender, the reference and the report (mask 19 by default, else the batch mask)', () => {
    const [plain, own] = planChunkMessages(batch(), ROWS, 0, NOW);
    expect(plain).toMatchObject({ id: 'b1R2', from: 'Shop' });
    expect(plain).not.toHaveProperty('clientReference');
    expect(plain).not.toHaveProperty('report');
    expect(own).toMatchObject({
      id: 'b1R3',
      from: 'Promo',
      clientReference: 'ORD-123',
      report: { url: 'https://shop.example.ro/dlr/%d', mask: 19 },
    });
    expect(planChunkMessages(batch({ reportMask: 3 }), ROWS, 0, NOW)[1]?.report?.mask).toBe(3);
  });

  it('carries them in the job to the stored message, whose report GET and callback body use them', () => {
    const own = planChunkMessages(batch(), ROWS, 0, NOW)[1];
    if (!own) throw new Error('no message');

    const stored = submittedMessage('acc1', own.id, jobMessage(own), NOW);

    expect(stored).toMatchObject({ from: 'Promo', clientReference: 'ORD-123', report: own.report });
    expect(reportCallbackJob(stored, { status: 'delivered', at: NOW })).toMatchObject({
      method: 'GET',
      url: 'https://shop.example.ro/dlr/1',
    });
    expect(statusCallbackBody(stored, { status: 'delivered', at: NOW })).toMatchObject({
      clientReference: 'ORD-123',
      from: 'Promo',
    });
  });

  it('adds nothing to a plain row’s job or item (no extra bytes, no extra write units)', () => {
    const plain = planChunkMessages(batch(), ROWS, 0, NOW)[0];
    if (!plain) throw new Error('no message');
    const job = jobMessage(plain);
    expect(Object.keys(job).sort()).toEqual(
      ['batchId', 'cost', 'encoding', 'fundedBy', 'from', 'parts', 'queuedAt', 'text', 'to'].sort(),
    );
    const item = batchMessageItem(submittedMessage('acc1', plain.id, job, NOW));
    expect(item).not.toHaveProperty('clientReference');
    expect(item).not.toHaveProperty('report');
  });

  it('a monitoring copy goes from the batch sender without the row reference or report URL', () => {
    const messages = planChunkMessages(
      { ...batch(), options: { ...batch().options, monitoring: { number: '+40722999999', every: 100 } } },
      Array.from({ length: 100 }, (_, i) => ({ ...ROWS[1], row: i + 2 }) as BatchRow),
      0,
      NOW,
    );
    const copy = messages.find((m) => m.to === '+40722999999');
    expect(copy).toMatchObject({ id: 'b1M100', from: 'Shop' });
    expect(copy).not.toHaveProperty('clientReference');
    expect(copy).not.toHaveProperty('report');
  });
});
