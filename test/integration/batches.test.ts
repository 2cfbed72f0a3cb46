import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { call, eventually, mobiles, national, newAccount, simMessages } from '../support/api';

interface BatchBody {
  id: string;
  status: string;
  reason?: string;
  summary?: {
    rows: number;
    valid: number;
    invalid: number;
    duplicates: number;
    blocklisted: number;
    messages: number;
    parts: number;
    cost: string;
  };
  progress: { queued: number; sent: number; delivered: number; failed: number };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** A workbook as Excel users make it: a header row, numbers as numbers, Romanian text. */
async function workbook(rows: (string | number | null)[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Clienți');
  sheet.addRow(['Telefon', 'Prenume', 'Oraș']);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function upload(key: string, bytes: Uint8Array, fileName = 'clienti.xlsx', contentType = XLSX) {
  const created = await call<{
    uploadId: string;
    url: string;
    method: string;
    headers: Record<string, string>;
  }>('POST', '/v1/uploads', { key, body: { fileName, contentType } });
  expect(created.status).toBe(201);
  expect(created.body.method).toBe('PUT');
  const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: bytes });
  expect(put.status).toBe(200);
  return created.body.uploadId;
}

async function batchUntil(key: string, id: string, done: (b: BatchBody) => boolean) {
  return (
    await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${id}`, { key }),
      (r) => done(r.body),
      { timeoutMs: 45_000 },
    )
  ).body;
}

/** Distinct Romanian mobiles, national (07x xxx xxxx), ending in `last` (11: delivered by the simulator). */
function uniqueMobiles(count: number, last = '11') {
  return mobiles(count, last).map(national);
}

describe('batch campaigns from an uploaded file', () => {
  it('upload → preview → batch → summary → start → every message final at the carrier, counts matching', async () => {
    // Arrange: 6 rows: 4 valid (one of them twice), 1 invalid number, 1 duplicate.
    const account = await newAccount('10.0000');
    const [a, b, c, d] = uniqueMobiles(4);
    const bytes = await workbook([
      [Number(`4${a}`), 'Ana', 'București'],
      [b ?? '', 'Ștefan', 'Iași'],
      ['0712', 'Greșit', 'Cluj'],
      [c ?? '', 'Țuțu', 'Timișoara'],
      [b ?? '', 'Ștefan', 'Iași'],
      [d ?? '', 'Ion', 'Brașov'],
    ]);
    const uploadId = await upload(account.apiKey, bytes);

    const preview = await call<{
      sheets: { name: string }[];
      columns: string[];
      rows: { row: number }[];
      guess: Record<string, unknown>;
    }>('GET', `/v1/uploads/${uploadId}/preview`, { key: account.apiKey });
    expect(preview.status).toBe(200);
    expect(preview.body.sheets.map((s) => s.name)).toEqual(['Clienți']);
    expect(preview.body.columns).toEqual(['A', 'B', 'C']);
    expect(preview.body.guess).toMatchObject({ headerRow: 1, firstRow: 2, phoneColumn: 'A' });

    // Act: create the batch with a template naming the headers.
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { uploadId, name: 'Toamnă', firstRow: 2, phoneColumn: 'A', text: 'Salut #Prenume din #oras!' },
    });
    expect(created.status).toBe(201);
    expect(created.body.status).toBe('analysing');
    const ready = await batchUntil(account.apiKey, created.body.id, (x) => x.status !== 'analysing');

    // Assert: the summary, before anything is sent.
    expect(ready.status).toBe('ready');
    expect(ready.summary).toMatchObject({
      rows: 6,
      valid: 4,
      invalid: 1,
      duplicates: 1,
      blocklisted: 0,
      messages: 4,
    });
    const rows = await call<{ items: { row: number; status: string; text?: string; encoding?: string }[] }>(
      'GET',
      `/v1/batches/${created.body.id}/rows?limit=10`,
      { key: account.apiKey },
    );
    expect(rows.body.items.map((r) => r.status)).toEqual(['ok', 'ok', 'invalid', 'ok', 'duplicate', 'ok']);
    expect(rows.body.items[1]).toMatchObject({ text: 'Salut Ștefan din Iași!', encoding: 'UCS-2' });
    expect((await simMessages()).filter((m) => m.text.includes('din București'))).toHaveLength(0);

    const started = await call<BatchBody>('POST', `/v1/batches/${created.body.id}/start`, {
      key: account.apiKey,
    });
    expect(started.status).toBe(200);
    const done = await batchUntil(account.apiKey, created.body.id, (x) =>
      ['completed', 'failed'].includes(x.status),
    );

    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ queued: 4, delivered: 4, failed: 0 });
    const atCarrier = (await simMessages()).filter((m) => [a, b, c, d].some((n) => m.to === `+4${n}`));
    expect(atCarrier).toHaveLength(4);
    expect(atCarrier.map((m) => m.text).sort()).toEqual(
      [
        'Salut Ana din București!',
        'Salut Ion din Brașov!',
        'Salut Țuțu din Timișoara!',
        'Salut Ștefan din Iași!',
      ].sort(),
    );
    const balance = await call<{ balance: string; reserved: string }>('GET', '/v1/account', {
      key: account.apiKey,
    });
    expect(balance.body.reserved).toBe('0.0000');
    expect(Number(balance.body.balance)).toBeCloseTo(10 - Number(ready.summary?.cost), 4);
  });

  it("start is refused (402) when the batch would pass the account's daily spend limit; nothing is reserved", async () => {
    const account = await newAccount('1.0000', { dailySpendLimit: '0.0900' });
    const numbers = uniqueMobiles(3, '51');
    const uploadId = await upload(account.apiKey, await workbook(numbers.map((n) => [n, 'Ana', 'Arad'])));
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { uploadId, name: 'Limitat', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    });
    await batchUntil(account.apiKey, created.body.id, (x) => x.status === 'ready');
    const refused = await call('POST', `/v1/batches/${created.body.id}/start`, { key: account.apiKey });
    expect(refused.status).toBe(402);
    expect(refused.body).toMatchObject({ error: { code: 'DAILY_SPEND_LIMIT_REACHED' } });
    const after = await call<{ balance: string; reserved: string }>('GET', '/v1/account', {
      key: account.apiKey,
    });
    expect(after.body).toMatchObject({ balance: '1.0000', reserved: '0.0000' });
    expect(
      (await call<BatchBody>('GET', `/v1/batches/${created.body.id}`, { key: account.apiKey })).body.status,
    ).toBe('ready');
  });

  it('cancel before start sends nothing', async () => {
    const account = await newAccount('1.0000');
    const [a] = uniqueMobiles(1);
    const uploadId = await upload(account.apiKey, await workbook([[a ?? '', 'Ana', 'Arad']]));
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { uploadId, name: 'Anulat', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    });
    await batchUntil(account.apiKey, created.body.id, (x) => x.status === 'ready');
    const cancelled = await call<BatchBody>('POST', `/v1/batches/${created.body.id}/cancel`, {
      key: account.apiKey,
    });
    expect(cancelled.body.status).toBe('cancelled');
    expect((await call('POST', `/v1/batches/${created.body.id}/start`, { key: account.apiKey })).status).toBe(
      409,
    );
    expect((await simMessages()).filter((m) => m.to === `+4${a}`)).toHaveLength(0);
  });

  it('a file that is not a spreadsheet fails the batch with a clear reason', async () => {
    const account = await newAccount('1.0000');
    const uploadId = await upload(account.apiKey, new TextEncoder().encode('%PDF-1.7 not a sheet'), 'x.xlsx');
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { uploadId, name: 'Rău', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    });
    const failed = await batchUntil(account.apiKey, created.body.id, (x) => x.status !== 'analysing');
    expect(failed.status).toBe('failed');
    expect(failed.reason).toMatch(/spreadsheet|xlsx|csv/i);
  });

  it("another account's upload and batch are not found", async () => {
    const a = await newAccount('1.0000');
    const b = await newAccount('1.0000');
    const uploadId = await upload(a.apiKey, await workbook([['0722000011', 'Ana', 'Arad']]));
    expect((await call('GET', `/v1/uploads/${uploadId}/preview`, { key: b.apiKey })).status).toBe(404);
    const batch = await call<BatchBody>('POST', '/v1/batches', {
      key: a.apiKey,
      body: { uploadId, name: 'A', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    });
    expect(
      (
        await call('POST', '/v1/batches', {
          key: b.apiKey,
          body: { uploadId, name: 'B', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
        })
      ).status,
    ).toBe(404);
    for (const path of ['', '/rows', '/start', '/cancel', '/stop']) {
      const answer = await call(
        path === '' || path === '/rows' ? 'GET' : 'POST',
        `/v1/batches/${batch.body.id}${path}`,
        { key: b.apiKey },
      );
      expect(answer.status).toBe(404);
    }
  });
});

describe('monitoring messages', () => {
  it('a copy note goes to the monitoring number after every N messages, priced in the summary', async () => {
    const account = await newAccount('5.0000');
    const numbers = uniqueMobiles(100, '41');
    const [monitor] = uniqueMobiles(1, '42');
    const uploadId = await upload(account.apiKey, await workbook(numbers.map((n) => [n, 'Ana', 'Arad'])));
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: {
        uploadId,
        name: 'Monitorizat',
        firstRow: 2,
        phoneColumn: 'A',
        messageColumn: 'B',
        monitoring: { number: monitor, every: 100 },
      },
    });
    const ready = await batchUntil(account.apiKey, created.body.id, (x) => x.status === 'ready');
    // 100 recipients, every 100: one monitoring message, counted and priced (101 × 0.0450).
    expect(ready.summary).toMatchObject({ messages: 101, cost: '4.5450' });
    await call('POST', `/v1/batches/${created.body.id}/start`, { key: account.apiKey });
    const done = await batchUntil(account.apiKey, created.body.id, (x) => x.status === 'completed');
    expect(done.progress).toMatchObject({ queued: 101, delivered: 101 });
    const notes = (await simMessages()).filter((m) => m.to === `+4${monitor}`);
    expect(notes.map((m) => m.text)).toEqual(['Monitor "Monitorizat": 100 messages sent']);
  });

  it('refuses a monitoring number that is not a mobile number', async () => {
    const account = await newAccount('1.0000');
    const uploadId = await upload(account.apiKey, await workbook([['0722000011', 'Ana', 'Arad']]));
    const created = await call('POST', '/v1/batches', {
      key: account.apiKey,
      body: {
        uploadId,
        name: 'M',
        firstRow: 2,
        phoneColumn: 'A',
        messageColumn: 'B',
        monitoring: { number: '0212345678', every: 100 },
      },
    });
    expect(created.status).toBe(422);
    expect(created.body).toMatchObject({ error: { code: 'INVALID_NUMBER' } });
  });
});

describe('running batches', () => {
  it('stop mid-way stops sending and refunds what was not sent', async () => {
    // Arrange: 20 messages at 2 per second (10 s of sending).
    const account = await newAccount('10.0000');
    const numbers = uniqueMobiles(20, '21');
    const uploadId = await upload(account.apiKey, await workbook(numbers.map((n) => [n, 'Ana', 'Arad'])));
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { uploadId, name: 'Oprit', firstRow: 2, phoneColumn: 'A', messageColumn: 'B', speed: 2 },
    });
    const ready = await batchUntil(account.apiKey, created.body.id, (x) => x.status === 'ready');
    expect(ready.summary?.messages).toBe(20);
    await call('POST', `/v1/batches/${created.body.id}/start`, { key: account.apiKey });
    await batchUntil(account.apiKey, created.body.id, (x) => x.progress.delivered >= 2);

    // Act
    const stopped = await call<BatchBody>('POST', `/v1/batches/${created.body.id}/stop`, {
      key: account.apiKey,
    });
    expect(stopped.body.status).toBe('stopped');

    // Assert: the workflow settles; fewer than 20 reached the carrier; every cent is accounted for.
    const settled = await eventually(
      () =>
        call<{ balance: string; reserved: string; spent: string }>('GET', '/v1/account', {
          key: account.apiKey,
        }),
      (r) => r.body.reserved === '0.0000',
      { timeoutMs: 45_000 },
    );
    const sent = (await simMessages()).filter((m) => numbers.some((n) => m.to === `+4${n}`)).length;
    expect(sent).toBeGreaterThanOrEqual(2);
    expect(sent).toBeLessThan(20);
    expect(settled.body.spent).toBe((sent * 0.045).toFixed(4));
    expect(Number(settled.body.balance) + Number(settled.body.spent)).toBeCloseTo(10, 4);
  });

  it('a start time in the future schedules the batch; the schedule fires and sends', async () => {
    const account = await newAccount('1.0000');
    const [a] = uniqueMobiles(1, '31');
    const uploadId = await upload(account.apiKey, await workbook([[a ?? '', 'Ana', 'Arad']]));
    const startAt = new Date(Date.now() + 3_000).toISOString();
    const created = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: { uploadId, name: 'Programat', firstRow: 2, phoneColumn: 'A', messageColumn: 'B', startAt },
    });
    await batchUntil(account.apiKey, created.body.id, (x) => x.status === 'ready');
    const started = await call<BatchBody>('POST', `/v1/batches/${created.body.id}/start`, {
      key: account.apiKey,
    });
    expect(started.body.status).toBe('scheduled');
    expect((await simMessages()).filter((m) => m.to === `+4${a}`)).toHaveLength(0);
    const done = await batchUntil(account.apiKey, created.body.id, (x) => x.status === 'completed');
    expect(done.progress.delivered).toBe(1);
    expect((await simMessages()).filter((m) => m.to === `+4${a}`)).toHaveLength(1);
  });
});
