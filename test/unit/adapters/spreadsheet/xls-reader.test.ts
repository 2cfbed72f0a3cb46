import fc from 'fast-check';
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import { listSheets, openSpreadsheet, SpreadsheetRejected } from '#adapters/spreadsheet/spreadsheet';
import { logger } from '#observability/logger';
import { exceljsXlsx, readAll, rejectionOf } from '../../../support/spreadsheet-fixtures';
import {
  compoundFile,
  editWorkbookStream,
  numberToFormula,
  withFilePass,
  withOverlongLastRecord,
  xlsWorkbook,
} from '../../../support/xls-fixtures';

/** 2024-03-15 10:30 as Excel stores it (days since 1899-12-30). */
const MARCH_15_SERIAL = 45366.4375;
const march15 = new Date(Date.UTC(2024, 2, 15, 10, 30));

const clienti = () =>
  xlsWorkbook([
    {
      name: 'Clienți',
      rows: [
        ['Telefon', 'Nume', 'Mesaj', 'Data', 'Activ'],
        [
          40722123456,
          'Ștefan Țăranu',
          'Bună ziua, ăâîșț ĂÂÎȘȚ!',
          { t: 'n', v: MARCH_15_SERIAL, z: 'dd.mm.yyyy hh:mm' },
          true,
        ],
        [],
        [722123456, '  spațiu  ', null, { t: 'n', v: 45366, z: 'm/d/yy' }, false],
        [null, null, null, null, null, { t: 'e', v: 0x2a }],
      ],
    },
    { name: 'Ascunsă', rows: [['secret']], hidden: 1 },
    { name: 'Foarte ascunsă', rows: [['more secret']], hidden: 2 },
    { name: 'Listă', rows: [['Telefon'], [40733000111], [40733000222]] },
  ]);

describe('a legacy .xls (BIFF8) workbook', () => {
  it('is sniffed by its bytes and lists every sheet in tab order with its visibility', async () => {
    // Act
    const book = await openSpreadsheet(clienti());

    // Assert
    expect(book.format).toBe('xls');
    expect(book.sheets).toEqual([
      { name: 'Clienți', hidden: false, index: 0 },
      { name: 'Ascunsă', hidden: true, index: 1 },
      { name: 'Foarte ascunsă', hidden: true, index: 2 },
      { name: 'Listă', hidden: false, index: 3 },
    ]);
  });

  it('reads typed values with Excel row numbers, skipping the empty row', async () => {
    // Act
    const rows = await readAll(clienti());

    // Assert
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['Telefon', 'Nume', 'Mesaj', 'Data', 'Activ'] },
      { rowNumber: 2, cells: [40722123456, 'Ștefan Țăranu', 'Bună ziua, ăâîșț ĂÂÎȘȚ!', march15, true] },
      { rowNumber: 4, cells: [722123456, '  spațiu  ', null, new Date(Date.UTC(2024, 2, 15)), false] },
      { rowNumber: 5, cells: [null, null, null, null, null, '#N/A'] },
    ]);
  });

  it('reads a second sheet by name (ignoring case) or index, and a hidden sheet on request', async () => {
    // Arrange
    const book = await openSpreadsheet(clienti());
    const all = async (sheet: string | number) => {
      const rows = [];
      for await (const row of book.rows({ sheet })) rows.push(row);
      return rows;
    };

    // Act
    const [byName, byIndex, hidden] = [await all('listă'), await all(3), await all('Ascunsă')];

    // Assert
    expect(byName).toEqual([
      { rowNumber: 1, cells: ['Telefon'] },
      { rowNumber: 2, cells: [40733000111] },
      { rowNumber: 3, cells: [40733000222] },
    ]);
    expect(byIndex).toEqual(byName);
    expect(hidden).toEqual([{ rowNumber: 1, cells: ['secret'] }]);
    expect((await rejectionOf(() => all('Nu există'))).code).toBe('SHEET_NOT_FOUND');
  });

  it('reads the same rows from a stream as from bytes', async () => {
    // Arrange
    const bytes = clienti();
    async function* chunks() {
      for (let at = 0; at < bytes.length; at += 1000) yield bytes.subarray(at, at + 1000);
    }

    // Act
    const [fromStream, fromBytes] = [await readAll(() => chunks()), await readAll(bytes)];

    // Assert
    expect(fromStream).toEqual(fromBytes);
  });

  it('stops after maxRows rows for a preview', async () => {
    const rows = await readAll(clienti(), { maxRows: 2 });
    expect(rows.map((r) => r.rowNumber)).toEqual([1, 2]);
  });

  it('gives a formula cell its cached result', async () => {
    // Arrange: A2 becomes =7 with the cached value 40722123456 (what Excel saved last)
    const bytes = numberToFormula(xlsWorkbook([{ name: 'F', rows: [['Telefon'], [40722123456]] }]), 1, 0);

    // Act
    const rows = await readAll(bytes);

    // Assert
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['Telefon'] },
      { rowNumber: 2, cells: [40722123456] },
    ]);
  });

  it('gives phone numbers stored as numbers the same digits as the xlsx reader', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(
          fc.oneof(
            fc.integer({ min: 700_000_000, max: 799_999_999 }),
            fc.integer({ min: 40_700_000_000, max: 40_799_999_999 }),
          ),
          {
            minLength: 1,
            maxLength: 20,
          },
        ),
        async (numbers) => {
          // Arrange
          const rows = numbers.map((n) => [n]);
          const xls = xlsWorkbook([{ name: 'N', rows }]);
          const xlsx = await exceljsXlsx(
            (wb) => {
              wb.addWorksheet('N').addRows(rows);
            },
            { sharedStrings: true },
          );

          // Act
          const [fromXls, fromXlsx] = [await readAll(xls), await readAll(xlsx)];

          // Assert
          expect(fromXls).toEqual(fromXlsx);
          expect(fromXls.map((r) => String(r.cells[0]))).toEqual(numbers.map(String));
        },
      ),
      { numRuns: 25 },
    );
  });

  it('reads dates like the xlsx reader, 1900 leap-year quirk included', async () => {
    // Arrange: serial 59 is 28 Feb 1900 in both readers, 61 is 1 Mar 1900
    const dates = [59, 61, MARCH_15_SERIAL].map((v) => [{ t: 'n' as const, v, z: 'yyyy-mm-dd hh:mm' }]);

    // Act
    const rows = await readAll(xlsWorkbook([{ name: 'D', rows: dates }]));

    // Assert
    expect(rows.map((r) => r.cells[0])).toEqual([
      new Date(Date.UTC(1900, 1, 28)),
      new Date(Date.UTC(1900, 2, 1)),
      march15,
    ]);
  });

  it('rejects a sheet with no values as EMPTY', async () => {
    const bytes = xlsWorkbook([{ name: 'Gol', rows: [[null]] }]);
    expect((await rejectionOf(() => readAll(bytes))).code).toBe('EMPTY');
  });
});

describe('the limits on an .xls', () => {
  const rows = Array.from({ length: 50 }, (_, i) => [40722000000 + i, `Nume ${i}`, 'Mesaj']);
  const bytes = () => xlsWorkbook([{ name: 'L', rows }]);

  it.each([
    [{ maxXlsCells: 149 }, 'TOO_LARGE'],
    [{ maxRows: 49 }, 'TOO_MANY_ROWS'],
    [{ maxColumns: 2 }, 'TOO_MANY_COLUMNS'],
    [{ maxCellChars: 5 }, 'CELL_TOO_LONG'],
    [{ maxCompressedBytes: 1000 }, 'TOO_LARGE'],
  ])('%o → %s', async (limits, code) => {
    expect((await rejectionOf(() => readAll(bytes(), { limits }))).code).toBe(code);
  });

  it('reads the file when it is just within them', async () => {
    const read = await readAll(bytes(), { limits: { maxXlsCells: 150, maxRows: 50, maxColumns: 3 } });
    expect(read).toHaveLength(50);
  });
});

describe('damaged or foreign .xls files', () => {
  it('rejects a cell record among the workbook globals as CORRUPT (SheetJS would loop forever on it)', async () => {
    // Arrange: the mutation test's find: one XF record of the globals retyped as FORMULA (0x0006)
    const whole = xlsWorkbook([{ name: 'S', rows: [['Telefon'], [40722123456]] }]);
    let retyped = false;
    const damaged = editWorkbookStream(whole, (records) =>
      records.map((record) => {
        if (retyped || record.type !== 0x00e0) return record;
        retyped = true;
        return { type: 0x0006, data: record.data };
      }),
    );

    // Act
    const error = await rejectionOf(() => readAll(damaged));

    // Assert
    expect(retyped).toBe(true);
    expect(error.code).toBe('CORRUPT');
    expect(error.message).toContain('outside every sheet');
  });

  it('stops a parse that runs past maxXlsParseMs with CORRUPT and gives the console back', async () => {
    // Arrange: 5 000 rows take SheetJS tens of milliseconds; the limit is 1 ms
    const rows = Array.from({ length: 5000 }, (_, i) => [40722000000 + i, `rând ${i}`]);
    const bytes = xlsWorkbook([{ name: 'Mare', rows }]);
    const consoleError = console.error;

    // Act
    const error = await rejectionOf(() => readAll(bytes, { limits: { maxXlsParseMs: 1 } }));

    // Assert
    expect(error.code).toBe('CORRUPT');
    expect(error.details).toEqual({ limit: 1 });
    expect(console.error).toBe(consoleError);
    expect(await readAll(bytes)).toHaveLength(5000);
  });

  it.each([512, 1024, 2048, 3000, 4000])(
    'rejects the workbook truncated to %i bytes as CORRUPT',
    async (n) => {
      // Arrange
      const whole = xlsWorkbook([
        { name: 'S', rows: Array.from({ length: 200 }, (_, i) => [i, `rând ${i}`]) },
      ]);

      // Act
      const error = await rejectionOf(() => readAll(whole.subarray(0, n)));

      // Assert
      expect(whole.length).toBeGreaterThan(4000);
      expect(error.code).toBe('CORRUPT');
    },
  );

  it('rejects a record that runs past the end of its stream as CORRUPT', async () => {
    const error = await rejectionOf(() => readAll(withOverlongLastRecord(clienti())));
    expect(error.code).toBe('CORRUPT');
  });

  it.each([
    [
      'a Word document (.doc)',
      () => compoundFile({ '/WordDocument': Buffer.from('Salut') }),
      'NOT_A_SPREADSHEET',
    ],
    [
      'a password-protected xlsx',
      () =>
        compoundFile({ '/EncryptionInfo': Buffer.alloc(64, 4), '/EncryptedPackage': Buffer.alloc(600, 7) }),
      'ENCRYPTED',
    ],
    ['a password-protected .xls (FILEPASS)', () => withFilePass(clienti()), 'ENCRYPTED'],
    ['an Excel 5.0/95 workbook', () => compoundFile({ '/Book': Buffer.alloc(64) }), 'UNSUPPORTED_FORMAT'],
    [
      'a BIFF5 stream named Workbook',
      () =>
        editWorkbookStream(clienti(), ([bof, ...rest]) => {
          const data = Buffer.from((bof as { data: Buffer }).data);
          data.writeUInt16LE(0x0500, 0);
          return [{ type: 0x0809, data }, ...rest];
        }),
      'UNSUPPORTED_FORMAT',
    ],
  ])('rejects %s', async (_, bytes, code) => {
    expect((await rejectionOf(() => listSheets(bytes()))).code).toBe(code);
  });

  it('a record SheetJS does not know reaches the structured log once, never the bare console', async () => {
    const bare = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const warn = vi.spyOn(logger, 'warn').mockImplementation(() => undefined);
    onTestFinished(() => {
      bare.mockRestore();
      warn.mockRestore();
    });
    const unknown = { type: 0x0999, data: Buffer.from([1, 2, 3, 4]) };
    // Before the last sheet's EOF: the BOUNDSHEET offsets (of the BOFs before it) stay right.
    const bytes = editWorkbookStream(clienti(), (records) => [
      ...records.slice(0, -1),
      unknown,
      unknown,
      ...records.slice(-1),
    ]);
    expect((await readAll(bytes)).length).toBeGreaterThan(0);
    expect(bare).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(1);
    expect(warn.mock.calls[0]?.[1]).toMatchObject({
      skippedRecords: 2,
      messages: ['Missing Info for XLS Record 0x999'],
    });
    // Restored after the read: the console is the process's own again.
    console.error('after');
    expect(bare).toHaveBeenCalledWith('after');
  });

  it('ends every mutated .xls in rows or a SpreadsheetRejected, never another error', async () => {
    // SheetJS logs each unknown record type it skips; a mutated file has many.
    const quiet = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    onTestFinished(() => quiet.mockRestore());
    const original = xlsWorkbook([
      {
        name: 'M',
        rows: [
          ['Telefon', 'Text'],
          [40722123456, 'ăâîșț'],
          [1.5, true],
        ],
      },
    ]);
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(fc.nat({ max: original.length - 1 }), fc.nat({ max: 255 })), {
          minLength: 1,
          maxLength: 8,
        }),
        async (mutations) => {
          const bytes = Buffer.from(original);
          for (const [at, value] of mutations) bytes[at] = value;
          try {
            // A case that sends SheetJS into a loop ends in 5 s rather than the default 30 s.
            const book = await openSpreadsheet(bytes, { limits: { maxXlsParseMs: 5000 } });
            for (const sheet of book.sheets) {
              try {
                for await (const _ of book.rows({ sheet: sheet.index })) {
                  // consume
                }
              } catch (error) {
                if (!(error instanceof SpreadsheetRejected)) throw error;
              }
            }
          } catch (error) {
            if (!(error instanceof SpreadsheetRejected)) throw error;
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
