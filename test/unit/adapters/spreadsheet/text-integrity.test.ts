/**
 * Every character of every cell arrives intact. exceljs 4.4's streaming reader decodes each inflated
 * chunk on its own and turns a multi-byte character cut by a chunk boundary into U+FFFD (exceljs issues
 * #2063, #2084, #2316); these files put multi-byte characters (2-, 3- and 4-byte UTF-8, emoji ZWJ
 * sequences, flags) at varied offsets in every cell, so hundreds of 128 KiB chunk boundaries fall
 * inside characters, and compare each cell read with the exact text written.
 */
import { PassThrough } from 'node:stream';
import ExcelJS from 'exceljs';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { CellValue } from '#adapters/spreadsheet/cells';
import { DEFAULT_SPREADSHEET_LIMITS } from '#adapters/spreadsheet/limits';
import { readRows } from '#adapters/spreadsheet/spreadsheet';
import { WorksheetScanner } from '#adapters/spreadsheet/worksheet';
import { entryChunks, openZip } from '#adapters/spreadsheet/zip-reader';
import {
  makeMultibyteCells,
  makeRng,
  multibyteText,
  writeSyntheticXlsx,
} from '../../../support/spreadsheet-fixtures';

const ROWS = 200_000;
const COLUMNS = 3;

function expectedCells(seed: number, rows: number): string[][] {
  const next = makeMultibyteCells(seed);
  return Array.from({ length: rows }, () => Array.from({ length: COLUMNS }, next));
}

/** Reads `bytes` and counts cells that differ from `expected` (row i is at row number i + 1). */
async function mismatches(
  bytes: Uint8Array,
  expected: string[][],
): Promise<{ count: number; rows: number; first: string[] }> {
  const first: string[] = [];
  let count = 0;
  let rows = 0;
  for await (const { rowNumber, cells } of readRows(bytes)) {
    rows++;
    const want = expected[rowNumber - 1] ?? [];
    for (let c = 0; c < COLUMNS; c++) {
      if (cells[c] === want[c]) continue;
      count++;
      if (first.length < 5)
        first.push(`row ${rowNumber} col ${c}: ${JSON.stringify(cells[c])} ≠ ${JSON.stringify(want[c])}`);
    }
  }
  return { count, rows, first };
}

/** How many of the part's inflated chunks start with a UTF-8 continuation byte (a character cut in two). */
async function chunksStartingMidCharacter(bytes: Uint8Array, part: string): Promise<number> {
  const archive = openZip(bytes, DEFAULT_SPREADSHEET_LIMITS);
  const entry = archive.find(part);
  if (entry === undefined) throw new Error(`no ${part}`);
  let cut = 0;
  for await (const chunk of entryChunks(archive, entry)) if (((chunk[0] ?? 0) & 0xc0) === 0x80) cut++;
  return cut;
}

describe('text integrity', () => {
  it.each(['inline', 'shared'] as const)(
    'reads %s strings of 200 000 multi-byte rows exactly as written',
    async (mode) => {
      // Arrange
      const expected = expectedCells(2063, ROWS);
      const bytes = writeSyntheticXlsx(ROWS, mode, (i) => expected[i] ?? [], 1);

      // Act
      const result = await mismatches(bytes, expected);

      // Assert: hundreds of inflate chunks begin inside a character, and every cell is exact
      expect(
        await chunksStartingMidCharacter(
          bytes,
          mode === 'shared' ? 'xl/sharedStrings.xml' : 'xl/worksheets/sheet1.xml',
        ),
      ).toBeGreaterThan(50);
      expect(result.first).toEqual([]);
      expect(result.count).toBe(0);
      expect(result.rows).toBe(ROWS);
    },
  );

  it('reads a 100 000-row workbook written by exceljs (shared strings, as Excel writes them) exactly', async () => {
    // Arrange
    const expected = expectedCells(2316, 100_000);
    const out = new PassThrough();
    const chunks: Buffer[] = [];
    out.on('data', (chunk: Buffer) => chunks.push(chunk));
    const writer = new ExcelJS.stream.xlsx.WorkbookWriter({
      stream: out,
      useSharedStrings: true,
      useStyles: false,
    });
    const sheet = writer.addWorksheet('Clienți');
    for (const row of expected) sheet.addRow(row).commit();
    sheet.commit();
    await writer.commit();

    // Act
    const result = await mismatches(Buffer.concat(chunks), expected);

    // Assert
    expect(result.first).toEqual([]);
    expect(result.count).toBe(0);
    expect(result.rows).toBe(100_000);
  });

  it('gives the same rows wherever the sheet XML is cut into chunks, inside characters and tags alike', () => {
    // Arrange
    const rng = makeRng(2084);
    const texts = Array.from({ length: 30 }, () => multibyteText(rng, 12));
    const escapeText = (t: string) => t.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
    const xml = Buffer.from(
      `\uFEFF<?xml version="1.0"?><worksheet><sheetData>${texts
        .map(
          (t, i) =>
            `<row r="${i + 1}"><c r="A${i + 1}" t="inlineStr"><is><t>${escapeText(t)}</t></is></c><c t="str"><v>${escapeText(t)}&#x219;</v></c>` +
            `<c><v>${40722000000 + i}</v></c><!-- ș --><c t="inlineStr"><is><t><![CDATA[${t}]]></t></is></c></row>`,
        )
        .join('')}</sheetData></worksheet>`,
    );
    const scan = (cuts: number[]) => {
      const scanner = new WorksheetScanner({
        part: 'sheet',
        sharedStrings: undefined,
        dateStyles: new Uint8Array(0),
        date1904: false,
        limits: DEFAULT_SPREADSHEET_LIMITS,
      });
      const rows: { rowNumber: number; cells: CellValue[] }[] = [];
      let offset = 0;
      for (const cut of cuts) {
        if (offset >= xml.length) break;
        rows.push(...scanner.feed(xml.subarray(offset, Math.min(xml.length, offset + cut))));
        offset += cut;
      }
      if (offset < xml.length) rows.push(...scanner.feed(xml.subarray(offset)));
      rows.push(...scanner.finish());
      return rows;
    };
    const whole = scan([xml.length]);

    // Act / Assert
    expect(whole).toHaveLength(30);
    expect(whole.map((r) => r.cells)).toEqual(texts.map((t, i) => [t, `${t}ș`, 40722000000 + i, t]));
    expect(scan(Array.from({ length: xml.length }, () => 1))).toEqual(whole);
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 1, max: 40 }), { minLength: 1, maxLength: 400 }), (cuts) => {
        expect(scan(cuts)).toEqual(whole);
      }),
      { seed: 2084, numRuns: 300 },
    );
  });
});
