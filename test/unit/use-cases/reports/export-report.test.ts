import { describe, expect, it } from 'vitest';
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import { type ExportDeps, MESSAGE_COLUMNS, writeReportFile } from '#use-cases/reports/export-report';
import { fixedClock, sequentialIds } from '../../../support/in-memory';

function deps(inlineMaxBytes?: number) {
  const written: { key: string; bytes: number }[] = [];
  const value: ExportDeps = {
    files: {
      write: async (key, body) => {
        written.push({ key, bytes: typeof body === 'string' ? body.length : body.byteLength });
      },
      presignGet: async (key, seconds) => `https://s3.local/${key}?expires=${seconds}`,
    },
    writers: { csv: csvWriter, xlsx: makeXlsxWriter() },
    ids: sequentialIds(),
    clock: fixedClock('2026-11-24T10:00:00.000Z'),
    ...(inlineMaxBytes === undefined ? {} : { inlineMaxBytes }),
  };
  return { value, written };
}

async function* rows() {
  yield [
    '2026-11-24T09:00:00.000Z',
    'm1',
    undefined,
    '+40722000011',
    'Shop',
    '=1+1',
    'GSM-7',
    1,
    'delivered',
    undefined,
    '0.0450',
    'EUR',
  ];
}

describe('writeReportFile', () => {
  it('answers a small file inline, formula-guarded', async () => {
    const { value, written } = deps();
    const file = await writeReportFile(
      value,
      'acc',
      { name: 'messages', format: 'csv', columns: MESSAGE_COLUMNS },
      rows(),
    );
    expect(file.kind).toBe('inline');
    if (file.kind !== 'inline') return;
    expect(new TextDecoder().decode(file.body)).toContain("'=1+1");
    expect(written).toEqual([]);
  });

  it('stores a large file under the owner and answers a presigned GET valid 15 minutes', async () => {
    const { value, written } = deps(10);
    const file = await writeReportFile(
      value,
      'acc',
      { name: 'messages', format: 'xlsx', columns: MESSAGE_COLUMNS },
      rows(),
    );
    expect(file).toMatchObject({
      kind: 'link',
      fileName: 'messages.xlsx',
      expiresAt: '2026-11-24T10:15:00.000Z',
    });
    expect(written).toHaveLength(1);
    expect(written[0]?.key).toMatch(/^reports\/acc\/.+\.xlsx$/);
    if (file.kind === 'link') expect(file.url).toBe(`https://s3.local/${written[0]?.key}?expires=900`);
  });
});
