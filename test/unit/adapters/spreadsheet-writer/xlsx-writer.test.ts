import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { DEFAULT_SPREADSHEET_LIMITS } from '#adapters/spreadsheet/limits';
import { openZip, readEntry } from '#adapters/spreadsheet/zip-reader';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import type { SpreadsheetCell, SpreadsheetColumn } from '#ports/spreadsheet-writer';
import { isUnguarded, TRIGGER_CHARS } from '../../../support/csv';

const COLUMNS: SpreadsheetColumn[] = [
  { header: 'row', kind: 'number' },
  { header: 'to (digits)', kind: 'phone' },
  { header: 'text', kind: 'text' },
  { header: 'cost', kind: 'text' },
];

const TEXTS = [
  ...TRIGGER_CHARS.map((c) => `${c}1+1`),
  '=HYPERLINK("http://evil","x")',
  '+1+1',
  '@SUM(A1)',
  "-2+3+cmd|' /C calc'!A0",
  '=1+1',
  'Salut Ștefan din Iași! ăâîșț ĂÂÎȘȚ şţ',
  '你好 😀👍🏽',
  'a,b "quoted" <tag> & more',
  'multi\nline',
  '  spaces kept  ',
];

async function* rowsOf(rows: readonly (readonly SpreadsheetCell[])[]) {
  yield* rows;
}

const MODES = [
  ['in memory', { expectedRows: TEXTS.length }],
  ['streaming', { expectedRows: 1_000_000 }],
  ['streaming (no row count)', {}],
] as const;

async function readBack(bytes: Uint8Array) {
  const book = new ExcelJS.Workbook();
  await book.xlsx.load(Buffer.from(bytes) as unknown as ArrayBuffer);
  const sheet = book.worksheets[0];
  if (!sheet) throw new Error('no sheet');
  return sheet;
}

/** The worksheet's raw XML, to check that no cell carries a formula element. */
async function sheetXml(bytes: Uint8Array): Promise<string> {
  const zip = openZip(bytes, DEFAULT_SPREADSHEET_LIMITS);
  const entry = zip.entries.find((e) => /worksheets\/sheet1\.xml$/.test(e.name));
  if (!entry) throw new Error('no sheet1.xml');
  return (await readEntry(zip, entry, 64 * 1024 * 1024)).toString('utf8');
}

describe.each(MODES)('xlsx writer (%s)', (_, hints) => {
  it('writes every string as a guarded string cell, numbers as numbers, and no formula at all', async () => {
    // Arrange
    const rows = TEXTS.map((text, i) => [i + 2, '+40722000011', text, '0.0450']);

    // Act
    const bytes = await makeXlsxWriter({ streamingAboveRows: 100 }).write(COLUMNS, rowsOf(rows), hints);

    // Assert: read back with exceljs.
    const sheet = await readBack(bytes);
    expect(sheet.name).toBe('Results');
    expect(sheet.rowCount).toBe(TEXTS.length + 1);
    expect(sheet.getRow(1).values).toEqual([undefined, 'row', 'to (digits)', 'text', 'cost']);
    for (const [i, text] of TEXTS.entries()) {
      const row = sheet.getRow(i + 2);
      const expected = TRIGGER_CHARS.includes(text.charAt(0)) ? `'${text}` : text;
      expect(row.getCell(1).value).toBe(i + 2);
      expect(row.getCell(1).type).toBe(ExcelJS.ValueType.Number);
      expect(row.getCell(2).value).toBe('40722000011');
      expect(row.getCell(2).type).toBe(ExcelJS.ValueType.String);
      expect(row.getCell(2).numFmt).toBe('@');
      expect(row.getCell(3).type).toBe(ExcelJS.ValueType.String);
      // XML normalises a CR to LF when read: the guard's quote stays in front either way.
      expect(row.getCell(3).value).toBe(expected.replaceAll('\r', '\n'));
      expect(row.getCell(4).value).toBe('0.0450');
    }
    sheet.eachRow((row) =>
      row.eachCell((cell) => {
        expect([ExcelJS.ValueType.String, ExcelJS.ValueType.Number]).toContain(cell.type);
        expect(cell.formula).toBeUndefined();
        if (typeof cell.value === 'string') expect(isUnguarded(cell.value)).toBe(false);
      }),
    );
    expect(await sheetXml(bytes)).not.toMatch(/<f[\s>]/);
  });

  it('leaves empty cells empty and guards a non-E.164 phone and a negative number', async () => {
    // Act
    const bytes = await makeXlsxWriter({ streamingAboveRows: 100 }).write(
      COLUMNS,
      rowsOf([
        [2, undefined, undefined, undefined],
        [-3, '+0722', '', '-1'],
      ]),
      hints,
    );

    // Assert
    const sheet = await readBack(bytes);
    expect(sheet.getRow(2).getCell(1).value).toBe(2);
    expect([2, 3, 4].map((c) => sheet.getRow(2).getCell(c).value)).toEqual([null, null, null]);
    expect([1, 2, 3, 4].map((c) => sheet.getRow(3).getCell(c).value)).toEqual(["'-3", "'+0722", null, "'-1"]);
  });
});

describe('xlsx writer strategy', () => {
  it('streams above the row threshold and builds in memory up to it; both read back the same', async () => {
    // Arrange: enough rows to make the difference visible.
    const rows = Array.from({ length: 2_000 }, (_, i) => [i, '+40722000011', `Țară ${i} 😀`, '0.0450']);
    const writer = makeXlsxWriter({ streamingAboveRows: 1_000 });

    // Act
    const inMemory = await writer.write(COLUMNS, rowsOf(rows), { expectedRows: 1_000 });
    const streamed = await writer.write(COLUMNS, rowsOf(rows), { expectedRows: 2_000 });

    // Assert: shared strings (as Excel writes them) in memory; inline strings when streamed.
    expect(await sheetXml(inMemory)).toMatch(/t="s"/);
    expect(await sheetXml(streamed)).not.toMatch(/t="s"/);
    const values = async (bytes: Uint8Array) => {
      const sheet = await readBack(bytes);
      const out: unknown[] = [];
      sheet.eachRow((row) => out.push(row.values));
      return out;
    };
    const expected = await values(inMemory);
    expect(expected).toHaveLength(2_001);
    expect(await values(streamed)).toEqual(expected);
    expect(expected[1234]).toEqual([undefined, 1233, '40722000011', 'Țară 1233 😀', '0.0450']);
  });

  it('has the xlsx content type', () => {
    expect(makeXlsxWriter().contentType).toBe(
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
    );
    expect(makeXlsxWriter().format).toBe('xlsx');
  });
});
