import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, national, newAccount, simMessages } from '../support/api';

/**
 * A batch's money moves once: `start` reserves the summary's cost, and the settlement at the end
 * charges what the network took (delivered, undelivered, expired) and refunds the rest (rejected,
 * never sent), from a sweep of the batch's messages — exactly once (docs/cost.md).
 */
interface Balance {
  balance: string;
  reserved: string;
  spent: string;
}
interface FinalTotals {
  planned: number;
  byStatus: Record<string, number>;
  messages: number;
  parts: number;
  cost: string;
  refunded: string;
  byDestination: { country: string; network?: string; messages: number; parts: number; cost: string }[];
}
interface BatchBody {
  id: string;
  status: string;
  summary?: { messages: number; cost: string };
  finalTotals?: FinalTotals;
}
interface LedgerBody {
  items: { amount: string; kind: string; reserved?: string; spent?: string; ref?: string }[];
  cursor?: string;
}

const units = (money: string) => Math.round(Number(money) * 10_000);
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function uploadRows(key: string, rows: [string, string][]): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('L');
  sheet.addRow(['Telefon', 'Mesaj']);
  for (const row of rows) sheet.addRow(row);
  const created = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    { key, body: { fileName: 'settle.xlsx', contentType: XLSX } },
  );
  const body = new Uint8Array(await book.xlsx.writeBuffer());
  const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body });
  expect(put.status).toBe(200);
  return created.body.uploadId;
}

async function ledgerOf(key: string) {
  const entries: LedgerBody['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await call<LedgerBody>(
      'GET',
      `/v1/account/ledger?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      {
        key,
      },
    );
    entries.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor);
  return entries;
}

describe('batch settlement', () => {
  it('charges delivered, undelivered and expired, refunds rejected, once, with final totals by status and destination', async () => {
    // Arrange: outcomes by the last two digits (docs/carrier-simulator.md): 11 delivered, 00
    // undelivered, 98 expired, 99 rejected at submission; one long text (2 parts) delivered.
    const account = await newAccount('10.0000');
    const number = (last: string) => national(mobile(last));
    const long = 'Reducere de toamnă la toate produsele noastre, doar săptămâna aceasta, în magazin!'; // UCS-2: 2 parts
    const rows: [string, string][] = [
      [number('11'), 'Salut'],
      [number('11'), 'Salut'],
      [number('11'), long],
      [number('00'), 'Salut'],
      [number('00'), 'Salut'],
      [number('98'), 'Salut'],
      [number('99'), 'Salut'],
      [number('99'), long],
    ];
    const uploadId = await uploadRows(account.apiKey, rows);
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { uploadId, name: 'Decontare', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    });
    const ready = await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${created.body.id}`, { key: account.apiKey }),
      (r) => r.body.status !== 'analysing',
      { timeoutMs: 30_000 },
    );
    expect(ready.body.status).toBe('ready');
    const preview = await call<{ items: { row: number; to: string; parts: number; cost: string }[] }>(
      'GET',
      `/v1/batches/${created.body.id}/rows?limit=20`,
      { key: account.apiKey },
    );
    const priceOf = (i: number) => units(preview.body.items[i]?.cost ?? 'NaN');
    const partsOf = (i: number) => preview.body.items[i]?.parts ?? Number.NaN;
    const charged = [0, 1, 2, 3, 4, 5].reduce((t, i) => t + priceOf(i), 0);
    const reserved = units(ready.body.summary?.cost ?? 'NaN');

    // Act
    await call('POST', `/v1/batches/${created.body.id}/start`, { key: account.apiKey });
    const done = await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${created.body.id}`, { key: account.apiKey }),
      (r) => ['completed', 'failed'].includes(r.body.status),
      { timeoutMs: 45_000 },
    );

    // Assert: the totals of the sweep.
    expect(done.body.status).toBe('completed');
    expect(done.body.finalTotals).toMatchObject({
      planned: 8,
      byStatus: { delivered: 3, undelivered: 2, expired: 1, rejected: 2 },
      messages: 6,
      parts: [0, 1, 2, 3, 4, 5].reduce((t, i) => t + partsOf(i), 0),
      cost: (charged / 10_000).toFixed(4),
      refunded: ((reserved - charged) / 10_000).toFixed(4),
      byDestination: [{ country: 'RO', messages: 6, cost: (charged / 10_000).toFixed(4) }],
    });
    expect(partsOf(2)).toBe(2);
    // The account: charged to spent, the rest back, nothing left reserved.
    const after = await call<Balance>('GET', '/v1/account', { key: account.apiKey });
    expect(after.body).toMatchObject({ reserved: '0.0000', spent: (charged / 10_000).toFixed(4) });
    expect(units(after.body.balance)).toBe(100_000 - charged);
    // The ledger explains every figure, with one reserve, one settle and one refund for the batch.
    const ledger = await ledgerOf(account.apiKey);
    const sum = (pick: (e: LedgerBody['items'][number]) => string | undefined) =>
      ledger.reduce((t, e) => t + units(pick(e) ?? '0'), 0);
    expect(sum((e) => e.amount)).toBe(units(after.body.balance));
    expect(sum((e) => e.reserved)).toBe(0);
    expect(sum((e) => e.spent)).toBe(charged);
    const kinds = ledger.filter((e) => e.ref === created.body.id).map((e) => e.kind);
    expect(kinds.sort()).toEqual(['refund', 'reserve', 'settle']);
    // Each destination reached the carrier once (the rejected ones were refused there).
    const atCarrier = (await simMessages()).filter((m) => rows.some(([n]) => m.to === `+4${n}`));
    expect(atCarrier).toHaveLength(8);
    // A batch message is readable by its id, with its history.
    const message = await call<{ status: string; events: { status: string }[] }>(
      'GET',
      `/v1/messages/${created.body.id}R3`,
      { key: account.apiKey },
    );
    expect(message.status).toBe(200);
    expect(message.body.status).toBe('delivered');
    expect(message.body.events.map((e) => e.status)).toEqual(['queued', 'submitted', 'delivered']);
  });
});
