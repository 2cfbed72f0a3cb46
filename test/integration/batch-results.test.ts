import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, mobiles, newAccount, stack } from '../support/api';
import { isUnguarded, parseCsv } from '../support/csv';

interface BatchBody {
  id: string;
  status: string;
  summary?: { rows: number; messages: number };
  progress: { queued: number; delivered: number; failed: number };
}

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';
const HEADER = [
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
];

async function workbook(rows: string[][]): Promise<Uint8Array> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Clienți');
  sheet.addRow(['Telefon', 'Mesaj']);
  for (const row of rows) sheet.addRow(row);
  return new Uint8Array(await book.xlsx.writeBuffer());
}

async function upload(key: string, bytes: Uint8Array) {
  const created = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    { key, body: { fileName: 'clienti.xlsx', contentType: XLSX } },
  );
  expect(created.status).toBe(201);
  const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: bytes });
  expect(put.status).toBe(200);
  return created.body.uploadId;
}

async function createBatch(key: string, bytes: Uint8Array, name: string) {
  const uploadId = await upload(key, bytes);
  const created = await call<BatchBody>('POST', '/v1/batches', {
    key,
    body: { uploadId, name, firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

async function batchUntil(key: string, id: string, done: (b: BatchBody) => boolean, timeoutMs = 45_000) {
  return (
    await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${id}`, { key }),
      (r) => done(r.body),
      { timeoutMs, intervalMs: 200 },
    )
  ).body;
}

/** The raw download, as a browser or `curl` would do it. */
async function download(key: string, id: string, query = '') {
  const response = await fetch(`${stack().apiUrl}/v1/batches/${id}/results${query}`, {
    headers: { authorization: `Bearer ${key}` },
  });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

async function xlsxRows(bytes: Uint8Array): Promise<{ values: unknown[][]; sheet: ExcelJS.Worksheet }> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  const values: unknown[][] = [];
  sheet.eachRow({ includeEmpty: true }, (row) => {
    values.push(
      Array.from({ length: HEADER.length }, (_, i) => {
        const value = row.getCell(i + 1).value;
        return value === null ? '' : value;
      }),
    );
  });
  return { values, sheet };
}

describe('GET /v1/batches/{id}/results', () => {
  it('downloads every row of a finished batch as csv and xlsx, statuses included, no cell evaluable', async () => {
    // Arrange: hostile cells, Romanian text, an invalid number, a duplicate; numbers ending 00 end
    // undelivered at the carrier simulator, the others delivered.
    const account = await newAccount('10.0000');
    const [a, b, c, d] = [mobile('11'), mobile('00'), mobile('11'), mobile('00')];
    const file: string[][] = [
      [a, '=HYPERLINK("http://evil","x")'],
      [b, '+1+1'],
      [c, '@SUM(A1)'],
      [d, 'Bună ziua, Ștefan! Țară „frumoasă”, -10% azi'],
      ['0712', '-2+3'],
      [a, 'duplicate of row 2'],
    ];
    const id = await createBatch(account.apiKey, await workbook(file), 'Toamnă „VIP”');
    await batchUntil(account.apiKey, id, (x) => x.status === 'ready');
    expect((await call('POST', `/v1/batches/${id}/start`, { key: account.apiKey })).status).toBe(200);
    const done = await batchUntil(account.apiKey, id, (x) => ['completed', 'failed'].includes(x.status));
    expect(done.status).toBe('completed');
    expect(done.progress).toMatchObject({ queued: 4, delivered: 2, failed: 2 });

    // The rows expected in both files, in file order (row numbers as Excel shows them).
    const digits = (e164: string) => e164.slice(1);
    const expected = [
      [2, digits(a), `'${file[0]?.[1]}`, 'GSM-7', 1, '0.0450', 'ok', '', 'delivered'],
      [3, digits(b), "'+1+1", 'GSM-7', 1, '0.0450', 'ok', '', 'undelivered'],
      [4, digits(c), "'@SUM(A1)", 'GSM-7', 1, '0.0450', 'ok', '', 'delivered'],
      [5, digits(d), file[3]?.[1], 'UCS-2', 1, '0.0450', 'ok', '', 'undelivered'],
      [6, '', '', '', '', '', 'invalid', expect.stringMatching(/^INVALID_NUMBER/), ''],
      [7, digits(a), '', '', '', '', 'duplicate', '', ''],
    ];
    const checkRows = (rows: unknown[][], asText: boolean) => {
      expect(rows[0]).toEqual(HEADER);
      expect(rows).toHaveLength(expected.length + 1);
      for (const [i, want] of expected.entries()) {
        const row = rows[i + 1] ?? [];
        const cells = asText ? want.map((v) => (typeof v === 'number' ? String(v) : v)) : want;
        expect(row.slice(0, 9)).toEqual(cells);
        if (want[6] === 'ok') {
          expect(Date.parse(String(row[9]))).toBeGreaterThan(Date.now() - 120_000);
          expect(row[10]).toBe(`${id}R${want[0]}`);
          // The sender each row went out from: the batch's (no sender column), no client reference.
          expect(row.slice(11)).toEqual([account.senderIds[0], '']);
        } else {
          expect(row.slice(9)).toEqual(['', '', '', '']);
        }
      }
      for (const cell of rows.flat()) if (typeof cell === 'string') expect(isUnguarded(cell)).toBe(false);
    };

    // Act + Assert: CSV (the default format).
    const csv = await download(account.apiKey, id);
    expect(csv.response.status).toBe(200);
    expect(csv.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    expect(csv.response.headers.get('content-disposition')).toBe(
      `attachment; filename="Toamna _VIP_-results.csv"; filename*=UTF-8''Toamn%C4%83%20%E2%80%9EVIP%E2%80%9D-results.csv`,
    );
    expect([...csv.bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const csvText = csv.bytes.toString('utf8').slice(1);
    expect(csvText).toContain('\r\n');
    expect(csvText.replaceAll('\r\n', '')).not.toMatch(/[\r\n]/);
    expect(csvText).toContain(`,"'=HYPERLINK(""http://evil"",""x"")",`);
    checkRows(parseCsv(csvText), true);

    // Act + Assert: xlsx.
    const xlsx = await download(account.apiKey, id, '?format=xlsx');
    expect(xlsx.response.status).toBe(200);
    expect(xlsx.response.headers.get('content-type')).toBe(XLSX);
    expect(xlsx.response.headers.get('content-disposition')).toMatch(
      /^attachment; filename="Toamna _VIP_-results\.xlsx"; /,
    );
    const { values, sheet } = await xlsxRows(xlsx.bytes);
    checkRows(values, false);
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number]).toContain(cell.type);
        expect(cell.formula).toBeUndefined();
      }),
    );

    // Another account: not found, in either format; a bad format is a 400.
    const other = await newAccount('1.0000');
    expect((await download(other.apiKey, id)).response.status).toBe(404);
    expect((await download(other.apiKey, id, '?format=xlsx')).response.status).toBe(404);
    const bad = await call<{ error: { code: string } }>('GET', `/v1/batches/${id}/results?format=pdf`, {
      key: account.apiKey,
    });
    expect(bad.status).toBe(400);
  });

  it('answers 409 BATCH_NOT_READY for a batch whose analysis produced no rows', async () => {
    const account = await newAccount('1.0000');
    const id = await createBatch(account.apiKey, new TextEncoder().encode('%PDF-1.7 not a sheet'), 'Rău');
    await batchUntil(account.apiKey, id, (x) => x.status !== 'analysing');
    const answer = await call<{ error: { code: string } }>('GET', `/v1/batches/${id}/results`, {
      key: account.apiKey,
    });
    expect(answer.status).toBe(409);
    expect(answer.body.error.code).toBe('BATCH_NOT_READY');
  });

  it('hands a result too big for a Lambda response over as a presigned S3 link', async () => {
    // Arrange: 3,200 distinct numbers with a 1,500-character text (10 GSM-7 parts): a CSV of about
    // 5 MB, past the 4 MiB inline limit. A ready batch is exportable before it is started.
    const account = await newAccount('1.0000', { maxParts: 10 });
    const text = 'Oferta de toamna: '.padEnd(1_500, 'x');
    const numbers = mobiles(3_200);
    const id = await createBatch(account.apiKey, await workbook(numbers.map((n) => [n, text])), 'Mare');
    const ready = await batchUntil(account.apiKey, id, (x) => x.status !== 'analysing', 90_000);
    expect(ready.status).toBe('ready');

    // Act
    const answer = await call<{ url: string; expiresAt: string; fileName: string }>(
      'GET',
      `/v1/batches/${id}/results?format=csv`,
      { key: account.apiKey },
    );

    // Assert
    expect(answer.status).toBe(200);
    expect(answer.headers.get('content-type')).toMatch(/^application\/json/);
    expect(answer.body.fileName).toBe('Mare-results.csv');
    expect(Date.parse(answer.body.expiresAt)).toBeGreaterThan(Date.now());
    expect(new URL(answer.body.url).pathname).toMatch(
      new RegExp(`/batches/${account.id}/${id}/results\\.csv$`),
    );
    const fetched = await fetch(answer.body.url);
    expect(fetched.status).toBe(200);
    const bytes = Buffer.from(await fetched.arrayBuffer());
    expect(bytes.byteLength).toBeGreaterThan(4 * 1024 * 1024);
    const rows = parseCsv(bytes.toString('utf8').slice(1));
    expect(rows).toHaveLength(3_201);
    expect(rows[0]).toEqual(HEADER);
    for (const [i, row] of rows.slice(1).entries()) {
      expect(row.slice(0, 8)).toEqual([
        String(i + 2),
        numbers[i]?.slice(1),
        text,
        'GSM-7',
        '10',
        '0.4500',
        'ok',
        '',
      ]);
    }
  });
});
