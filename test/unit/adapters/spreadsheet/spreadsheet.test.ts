import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import {
  columnIndex,
  columnLetter,
  listSheets,
  openSpreadsheet,
  readRows,
} from '#adapters/spreadsheet/spreadsheet';
import { exceljsXlsx, readAll, rejectionOf } from '../../../support/spreadsheet-fixtures';

const xlsx = () =>
  exceljsXlsx(
    (wb) => {
      wb.addWorksheet('Foaie1').addRow(['Telefon', 'Nume']);
      wb.getWorksheet('Foaie1')?.addRow([40722123456, 'Ana']);
    },
    { sharedStrings: true },
  );

describe('columns', () => {
  it.each([
    [0, 'A'],
    [25, 'Z'],
    [26, 'AA'],
    [701, 'ZZ'],
    [702, 'AAA'],
    [16_383, 'XFD'],
  ])('column %i is %s and back', (index, letters) => {
    expect(columnLetter(index)).toBe(letters);
    expect(columnIndex(letters)).toBe(index);
    expect(columnIndex(letters.toLowerCase())).toBe(index);
  });

  it.each([[''], ['A1'], ['XFE'], ['AAAA'], ['ș']])('refuses %j as a column', (letters) => {
    expect(() => columnIndex(letters)).toThrow(RangeError);
  });

  it('refuses a negative or fractional index', () => {
    expect(() => columnLetter(-1)).toThrow(RangeError);
    expect(() => columnLetter(1.5)).toThrow(RangeError);
  });
});

describe('sources and formats', () => {
  it('tells xlsx from CSV by content, from bytes or from a stream in small chunks', async () => {
    // Arrange
    const bytes = await xlsx();
    const stream = () =>
      Readable.from(
        Array.from({ length: Math.ceil(bytes.length / 100) }, (_, i) =>
          bytes.subarray(i * 100, i * 100 + 100),
        ),
      );
    const csv = () => Readable.from([Buffer.from('Telefon,Nume\n0722'), Buffer.from('123456,Ana\n')]);

    // Act
    const fromBytes = await openSpreadsheet(bytes);
    const fromStream = await openSpreadsheet(stream);
    const fromCsv = await openSpreadsheet(csv);

    // Assert
    expect([fromBytes.format, fromStream.format, fromCsv.format]).toEqual(['xlsx', 'xlsx', 'csv']);
    expect(await readAll(stream)).toEqual(await readAll(bytes));
    expect(fromCsv.sheets).toEqual([{ name: 'CSV', hidden: false, index: 0 }]);
    expect(await readAll(csv)).toEqual([
      { rowNumber: 1, cells: ['Telefon', 'Nume'] },
      { rowNumber: 2, cells: ['0722123456', 'Ana'] },
    ]);
  });

  it('reads a CSV source again for every read', async () => {
    // Arrange
    let opened = 0;
    const book = await openSpreadsheet(() => {
      opened++;
      return Readable.from([Buffer.from('a\nb\n')]);
    });

    // Act
    const first = [];
    for await (const row of book.rows()) first.push(row);
    const second = [];
    for await (const row of book.rows({ sheet: 'csv' })) second.push(row);

    // Assert
    expect(second).toEqual(first);
    expect(opened).toBe(3); // sniffing, then one per read
  });

  it('refuses a streamed file larger than maxCompressedBytes without reading it all', async () => {
    // Arrange
    let pulled = 0;
    const big = () =>
      Readable.from(
        (function* () {
          yield Buffer.from([0x50, 0x4b, 0x03, 0x04, ...new Array(60).fill(0)]);
          for (let i = 0; i < 1000; i++) {
            pulled++;
            yield Buffer.alloc(1024);
          }
        })(),
      );

    // Act
    const error = await rejectionOf(() => openSpreadsheet(big, { limits: { maxCompressedBytes: 10_000 } }));

    // Assert
    expect(error.code).toBe('TOO_LARGE');
    expect(pulled).toBeLessThan(20);
  });

  it('lists sheets and reads rows in one call each', async () => {
    const bytes = await xlsx();
    expect(await listSheets(bytes)).toEqual([{ name: 'Foaie1', hidden: false, index: 0 }]);
    const rows = [];
    for await (const row of readRows(bytes, { sheet: 'Foaie1', maxRows: 1 })) rows.push(row);
    expect(rows).toEqual([{ rowNumber: 1, cells: ['Telefon', 'Nume'] }]);
  });

  it('passes a failing source stream through as it is, not as a rejection', async () => {
    const failing = () =>
      new Readable({
        read() {
          this.destroy(new Error('socket hang up'));
        },
      });
    await expect(openSpreadsheet(failing)).rejects.toThrow('socket hang up');
  });

  it('checks the limits it is given', async () => {
    await expect(openSpreadsheet(await xlsx(), { limits: { maxRows: 0 } })).rejects.toThrow(RangeError);
  });
});
