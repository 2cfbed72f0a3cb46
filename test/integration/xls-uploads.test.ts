/**
 * Legacy Excel 97-2003 workbooks (.xls) through the public APIs: an upload previewed and sent as a batch,
 * and the sendSMS `/json` `batch_create` with `file_type=xls` (a file part, and a zip holding one).
 */
import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages } from '../support/api';
import { batchUntil } from '../support/batches';
import { httpBuildQuery, newSendsmsAccount, sendsms } from '../support/sendsms';
import { buildZip } from '../support/spreadsheet-fixtures';
import { upload } from '../support/uploads';
import { xlsWorkbook } from '../support/xls-fixtures';

const XLS = 'application/vnd.ms-excel';
const q = (params: Record<string, string | number>) => httpBuildQuery(params);

/** Digits of a fresh random mobile (+40 72x…), as a number: how Excel users store phone numbers. */
const mobileNumber = (suffix = '11') => Number(mobile(suffix).slice(1));

describe('.xls uploads through /v1', () => {
  it('upload → preview (hidden sheet marked, typed cells) → batch from a named sheet → delivered', async () => {
    // Arrange: the data is on the third sheet, behind an instructions sheet and a hidden one
    const account = await newAccount('10.0000');
    const [a, b] = [mobileNumber(), mobileNumber()];
    const bytes = xlsWorkbook([
      { name: 'Instrucțiuni', rows: [['Completați foaia Clienți']] },
      { name: 'Ascunsă', rows: [['nu se trimite']], hidden: 1 },
      {
        name: 'Clienți',
        rows: [['Telefon', 'Prenume', 'Oraș'], [a, 'Ștefan', 'Iași'], [], [b, 'Ioana', 'Brașov']],
      },
    ]);
    const uploadId = await upload(account.apiKey, bytes, 'clienti-2003.xls', XLS);

    // Act
    const preview = await call<{
      format: string;
      sheets: { name: string; hidden: boolean }[];
      rows: { row: number; cells: unknown[] }[];
      guess: Record<string, unknown>;
    }>('GET', `/v1/uploads/${uploadId}/preview?sheet=${encodeURIComponent('Clienți')}`, {
      key: account.apiKey,
    });
    const created = await call<{ id: string }>('POST', '/v1/batches', {
      key: account.apiKey,
      body: {
        uploadId,
        name: 'Din xls',
        sheet: 'Clienți',
        firstRow: 2,
        phoneColumn: 'A',
        text: 'Bună #Prenume din #Oraș!',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const ready = await batchUntil(account.apiKey, created.body.id, (x) => x.status !== 'analysing');
    const started = await call('POST', `/v1/batches/${created.body.id}/start`, { key: account.apiKey });

    // Assert
    expect(preview.status).toBe(200);
    expect(preview.body.format).toBe('xls');
    expect(preview.body.sheets).toEqual([
      { name: 'Instrucțiuni', hidden: false, index: 0 },
      { name: 'Ascunsă', hidden: true, index: 1 },
      { name: 'Clienți', hidden: false, index: 2 },
    ]);
    expect(preview.body.rows).toEqual([
      { row: 1, cells: ['Telefon', 'Prenume', 'Oraș'] },
      { row: 2, cells: [a, 'Ștefan', 'Iași'] },
      { row: 4, cells: [b, 'Ioana', 'Brașov'] },
    ]);
    expect(preview.body.guess).toMatchObject({ headerRow: 1, firstRow: 2, phoneColumn: 'A' });
    expect(ready).toMatchObject({ status: 'ready', summary: { rows: 2, messages: 2 } });
    expect(started.status).toBe(200);
    const expected = [
      { to: `+${a}`, text: 'Bună Ștefan din Iași!' },
      { to: `+${b}`, text: 'Bună Ioana din Brașov!' },
    ];
    await eventually(
      simMessages,
      (list) => expected.every((e) => list.some((m) => m.to === e.to && m.text === e.text)),
      { timeoutMs: 45_000 },
    );
  });

  it('a damaged .xls is refused at preview with CORRUPT (4xx, never a 500)', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const whole = xlsWorkbook([{ name: 'S', rows: Array.from({ length: 300 }, (_, i) => [i, `rând ${i}`]) }]);
    const uploadId = await upload(account.apiKey, whole.subarray(0, 3000), 'stricat.xls', XLS);

    // Act
    const preview = await call<{ error: string; details?: { code?: string } }>(
      'GET',
      `/v1/uploads/${uploadId}/preview`,
      { key: account.apiKey },
    );

    // Assert
    expect(preview.status).toBeGreaterThanOrEqual(400);
    expect(preview.status).toBeLessThan(500);
    expect(JSON.stringify(preview.body)).toContain('CORRUPT');
  });
});

describe('.xls imports: contact groups and the blocklist', () => {
  it('a contact group imports an .xls sheet: numbers stored as numbers, Romanian names, custom fields', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const [a, b] = [mobileNumber(), mobileNumber()];
    const bytes = xlsWorkbook([
      {
        name: 'Agenda',
        rows: [
          ['Telefon', 'Prenume', 'Nume', 'Oraș'],
          [a, 'Ștefan', 'Țăranu', 'Iași'],
          [],
          [b, 'Ioana', 'Mureșan', 'Brașov'],
          ['nu e număr', 'X', 'Y', 'Z'],
        ],
      },
    ]);
    const uploadId = await upload(account.apiKey, bytes, 'agenda.xls', XLS);

    // Act
    const created = await call<{ id: string }>('POST', '/v1/contact-groups', {
      key: account.apiKey,
      body: {
        name: 'Agenda xls',
        uploadId,
        firstRow: 2,
        phoneColumn: 'A',
        firstNameColumn: 'B',
        lastNameColumn: 'C',
        otherColumns: 'keep',
      },
    });
    expect(created.status, JSON.stringify(created.body)).toBe(201);
    const group = (
      await eventually(
        () =>
          call<{ status: string; contacts: number; fieldNames: string[]; import?: Record<string, unknown> }>(
            'GET',
            `/v1/contact-groups/${created.body.id}`,
            { key: account.apiKey },
          ),
        (r) => r.body.status !== 'importing',
        { timeoutMs: 45_000 },
      )
    ).body;
    const contacts = await call<{
      items: { phone: string; firstName?: string; lastName?: string; fields: object }[];
    }>('GET', `/v1/contact-groups/${created.body.id}/contacts`, { key: account.apiKey });

    // Assert
    expect(group).toMatchObject({
      status: 'ready',
      contacts: 2,
      fieldNames: ['Oraș'],
      import: { rows: 3, valid: 2, invalid: 1 },
    });
    expect(
      contacts.body.items
        .map((c) => [c.phone, c.firstName, c.lastName, c.fields])
        .sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    ).toEqual(
      [
        [`+${a}`, 'Ștefan', 'Țăranu', { Oraș: 'Iași' }],
        [`+${b}`, 'Ioana', 'Mureșan', { Oraș: 'Brașov' }],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it('the blocklist imports an .xls of numbers', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const [a, b] = [mobileNumber(), mobileNumber()];
    const bytes = xlsWorkbook([{ name: 'Dezabonați', rows: [['Telefon'], [a], [b], [a]] }]);
    const uploadId = await upload(account.apiKey, bytes, 'dezabonati.xls', XLS);

    // Act
    const report = await call('POST', '/v1/blocklist/imports', {
      key: account.apiKey,
      body: { uploadId, phoneColumn: 'A', firstRow: 2, reason: 'din xls' },
    });

    // Assert
    expect(report.status, JSON.stringify(report.body)).toBe(200);
    expect(report.body).toMatchObject({ rows: 3, added: 2, duplicates: 1, invalid: 0 });
    for (const n of [a, b]) {
      const entry = await call('GET', `/v1/blocklist/${encodeURIComponent(`+${n}`)}`, {
        key: account.apiKey,
      });
      expect(entry.body).toMatchObject({ blocked: true, note: 'din xls' });
    }
  });
});

describe('.xls through the sendSMS /json batch_create', () => {
  it('takes an .xls file part (file_type=xls) and a zip holding one; the batch reaches the carrier', async () => {
    // Arrange
    const account = await newSendsmsAccount('2.0000');
    const auth = { username: account.username, password: account.password };
    const [a, b] = [mobileNumber(), mobileNumber()];
    const sheet = (to: number, text: string) =>
      xlsWorkbook([
        {
          name: 'Listă',
          rows: [
            ['to', 'message'],
            [to, text],
          ],
        },
      ]);
    const form = new FormData();
    form.set('data', new Blob([new Uint8Array(sheet(a, 'Salut din xls, ăâîșț!'))]), 'lista.xls');
    const zip = buildZip([{ name: 'export/lista.xls', data: sheet(b, 'Din zip cu xls') }]).toString('base64');

    // Act
    const fromXls = await sendsms<string>(
      q({ action: 'batch_create', ...auth, name: 'xls', file_type: 'xls' }),
      {
        body: form,
      },
    );
    const fromZip = await sendsms<string>(
      q({ action: 'batch_create', ...auth, name: 'zip', file_type: 'zip' }),
      {
        body: httpBuildQuery({ data: zip }),
      },
    );
    expect(fromXls.body.status, JSON.stringify(fromXls.body)).toBe(0);
    expect(fromZip.body.status, JSON.stringify(fromZip.body)).toBe(0);
    for (const id of [fromXls.body.details, fromZip.body.details]) {
      const ready = await eventually(
        () =>
          sendsms<{ status: string; messages: number }>(
            q({ action: 'batch_check_status', ...auth, batch_id: id }),
          ),
        (r) => r.body.details?.status === 'ready',
        { timeoutMs: 30_000 },
      );
      expect(ready.body.details.messages).toBe(1);
    }
    const started = await sendsms<{ status: string }>(
      q({ action: 'batch_start', ...auth, batch_id: fromXls.body.details }),
    );

    // Assert
    expect(started.body).toMatchObject({ status: 0, details: { status: 'running' } });
    await eventually(
      simMessages,
      (list) => list.some((m) => m.to === `+${a}` && m.text === 'Salut din xls, ăâîșț!'),
      { timeoutMs: 30_000 },
    );
  });

  it('refuses a damaged .xls with -128 and the reader code', async () => {
    // Arrange
    const account = await newSendsmsAccount('1.0000');
    const whole = xlsWorkbook([{ name: 'S', rows: Array.from({ length: 300 }, (_, i) => [i, `rând ${i}`]) }]);
    const form = new FormData();
    form.set('data', new Blob([new Uint8Array(whole.subarray(0, 3000))]), 'stricat.xls');

    // Act
    const answer = await sendsms(
      q({
        action: 'batch_create',
        username: account.username,
        password: account.password,
        name: 'x',
        file_type: 'xls',
      }),
      { body: form },
    );

    // Assert
    expect(answer.http).toBe(200);
    expect(answer.body).toMatchObject({ status: -128, details: { code: 'CORRUPT' } });
  });
});
