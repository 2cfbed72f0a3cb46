import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount } from '../support/api';
import { buildZip, deflatedZeros, xlsxEntries, type ZipEntrySpec } from '../support/spreadsheet-fixtures';

/**
 * Hostile files through the public API: each becomes a batch that fails with a clear reason within
 * seconds, and the platform keeps serving meanwhile. (The reader's own suite covers the limits in
 * depth: test/unit/adapters/spreadsheet/hostile-files.test.ts.)
 */
const MiB = 1024 * 1024;
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

function workbookWith(sheet: ZipEntrySpec): Buffer {
  const entries = xlsxEntries({ sheets: [{ name: 'S', xml: '' }] }).filter(
    (e) => !e.name.includes('worksheets/'),
  );
  return buildZip([...entries, { ...sheet, name: 'xl/worksheets/sheet1.xml' }]);
}

const files: [string, () => Buffer, RegExp][] = [
  [
    'a ~1 MB file that inflates to 1 GiB',
    () => workbookWith({ name: '', deflated: deflatedZeros(MiB, 1024) }),
    /large|bomb|compressed/i,
  ],
  [
    'a size field that lies (declared 1 MiB, holds 1 GiB)',
    () => workbookWith({ name: '', deflated: deflatedZeros(MiB, 1024), declaredSize: MiB }),
    /bomb|size|large|corrupt/i,
  ],
  [
    '100 000 zip entries',
    () =>
      buildZip(
        [
          ...xlsxEntries({ sheets: [{ name: 'S', xml: '<row><c><v>1</v></c></row>' }] }),
          ...Array.from({ length: 100_000 }, (_, i) => ({ name: `x/${i}`, method: 0 as const })),
        ],
        { zip64: true },
      ),
    /entries/i,
  ],
  [
    'an entry named ../../etc/passwd',
    () => buildZip([{ name: '../../etc/passwd', data: 'x' }]),
    /unsafe|name|spreadsheet/i,
  ],
  [
    'an encrypted (OLE) workbook',
    () => Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1, ...new Array(504).fill(0)]),
    /encrypt|xls|format/i,
  ],
];

async function batchFrom(key: string, bytes: Buffer) {
  const up = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    {
      key,
      body: { fileName: 'hostile.xlsx', contentType: XLSX },
    },
  );
  const put = await fetch(up.body.url, {
    method: 'PUT',
    headers: up.body.headers,
    body: new Uint8Array(bytes),
  });
  expect(put.status).toBe(200);
  const created = await call<{ id: string }>('POST', '/v1/batches', {
    key,
    body: { uploadId: up.body.uploadId, name: 'Hostile', firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
  });
  expect(created.status).toBe(201);
  return created.body.id;
}

describe('hostile files end as failed batches with a clear reason, and the platform keeps serving', () => {
  it.each(files)('%s', async (_, make, reason) => {
    const account = await newAccount('1.0000');
    const started = Date.now();
    const id = await batchFrom(account.apiKey, make());

    const failed = await eventually(
      () => call<{ status: string; reason?: string }>('GET', `/v1/batches/${id}`, { key: account.apiKey }),
      (r) => r.body.status !== 'analysing',
      { timeoutMs: 20_000 },
    );

    expect(failed.body.status).toBe('failed');
    expect(failed.body.reason).toMatch(reason);
    expect(Date.now() - started).toBeLessThan(20_000);
    const stillServing = await call('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to: mobile('71'), text: 'ok' },
    });
    expect(stillServing.status).toBe(202);
  });
});
