import { Readable } from 'node:stream';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { type CellValue, SpreadsheetRejected } from '#adapters/spreadsheet/spreadsheet';
import { readAll, rejectionOf } from '../../../support/spreadsheet-fixtures';

const utf8 = (text: string) => Buffer.from(text, 'utf8');

/** A source that hands the bytes over in pieces of the given sizes (cycled). */
function chunked(bytes: Uint8Array, sizes: readonly number[]): () => Readable {
  return () => {
    const pieces: Uint8Array[] = [];
    for (let offset = 0, i = 0; offset < bytes.length; i++) {
      const size = Math.max(1, sizes[i % sizes.length] ?? 1);
      pieces.push(bytes.subarray(offset, offset + size));
      offset += size;
    }
    return Readable.from(pieces, { objectMode: true });
  };
}

describe('CSV', () => {
  it('reads quoted fields with delimiters, escaped quotes and line breaks', async () => {
    // Arrange
    const csv = 'Telefon,Nume,Mesaj\r\n0722123456,"Popescu, Ion","Salut ""Ion"",\r\nce faci?"\r\n';

    // Act
    const rows = await readAll(utf8(csv));

    // Assert
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['Telefon', 'Nume', 'Mesaj'] },
      { rowNumber: 2, cells: ['0722123456', 'Popescu, Ion', 'Salut "Ion",\r\nce faci?'] },
    ]);
  });

  it('sniffs ; as Romanian Excel writes it, skips the BOM, and keeps leading zeros and decimal commas', async () => {
    // Arrange
    const csv = '\uFEFFTelefon;Nume;Sumă\n0722123456;Ștefan;12,5\n';

    // Act
    const rows = await readAll(utf8(csv));

    // Assert
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['Telefon', 'Nume', 'Sumă'] },
      { rowNumber: 2, cells: ['0722123456', 'Ștefan', '12,5'] },
    ]);
  });

  it('sniffs tabs, and honours an explicit delimiter', async () => {
    expect(await readAll(utf8('a\tb,c\td\n'))).toEqual([{ rowNumber: 1, cells: ['a', 'b,c', 'd'] }]);
    expect(await readAll(utf8('a;b,c\n'), { delimiter: ',' })).toEqual([
      { rowNumber: 1, cells: ['a;b', 'c'] },
    ]);
  });

  it('numbers records as Excel numbers rows: empty lines skipped but counted, CR, LF and CRLF alike', async () => {
    // Arrange
    const csv = 'a\n\nb\r\rc\r\n,,\r\n"d"\n"multi\nline",e';

    // Act
    const rows = await readAll(utf8(csv));

    // Assert
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['a'] },
      { rowNumber: 3, cells: ['b'] },
      { rowNumber: 5, cells: ['c'] },
      { rowNumber: 7, cells: ['d'] },
      { rowNumber: 8, cells: ['multi\nline', 'e'] },
    ]);
  });

  it('fills sparse rows with null and drops trailing empty fields', async () => {
    expect(await readAll(utf8(',,x,,\n'))).toEqual([{ rowNumber: 1, cells: [null, null, 'x'] }]);
  });

  it('keeps text after a closing quote, as Excel does, and quotes inside unquoted fields', async () => {
    expect(await readAll(utf8('"ab"c,d"e"f\n'))).toEqual([{ rowNumber: 1, cells: ['abc', 'd"e"f'] }]);
  });

  it('keeps __proto__ and constructor as plain strings', async () => {
    const [row] = await readAll(utf8('__proto__,constructor\n'));
    expect(row?.cells).toEqual(['__proto__', 'constructor']);
    expect(Object.getPrototypeOf(row?.cells)).toBe(Array.prototype);
  });

  it('reads UTF-16 with a BOM (Excel "Unicode text") and Windows-1250 (Romanian Excel "CSV")', async () => {
    // Arrange
    const utf16 = Buffer.concat([
      Buffer.from([0xff, 0xfe]),
      Buffer.from('Nume\tOraș\nȘtefan\tIași 😀\n', 'utf16le'),
    ]);
    const cp1250 = Buffer.from([0x4e, 0x75, 0x6d, 0x65, 0x3b, 0xaa, 0x74, 0x65, 0x66, 0x61, 0x6e, 0x0a]); // Nume;Ştefan

    // Act
    const fromUtf16 = await readAll(chunked(utf16, [3, 5, 7]));
    const fromCp1250 = await readAll(cp1250);

    // Assert
    expect(fromUtf16).toEqual([
      { rowNumber: 1, cells: ['Nume', 'Oraș'] },
      { rowNumber: 2, cells: ['Ștefan', 'Iași 😀'] },
    ]);
    expect(fromCp1250).toEqual([{ rowNumber: 1, cells: ['Nume', 'Ştefan'] }]);
  });

  it('refuses an unterminated quote, invalid UTF-8 after the first 64 KiB, and an empty file', async () => {
    expect((await rejectionOf(() => readAll(utf8('a,"b\nc,d\n')))).code).toBe('CORRUPT');
    const late = Buffer.concat([utf8(`${'x,y\n'.repeat(20_000)}`), Buffer.from([0x61, 0xff, 0x0a])]);
    const error = await rejectionOf(() => readAll(chunked(late, [16_384])));
    expect(error.code).toBe('CORRUPT');
    expect(error.details).toMatchObject({ rowNumber: 20_001 });
    expect((await rejectionOf(() => readAll(utf8('\uFEFF\n\n,,\n')))).code).toBe('EMPTY');
  });

  it('enforces the row, column and cell limits', async () => {
    const limits = { maxRows: 2, maxColumns: 2, maxCellChars: 5 };
    expect((await rejectionOf(() => readAll(utf8('a\nb\nc\n'), { limits }))).code).toBe('TOO_MANY_ROWS');
    expect((await rejectionOf(() => readAll(utf8('a,b,c\n'), { limits }))).code).toBe('TOO_MANY_COLUMNS');
    expect((await rejectionOf(() => readAll(utf8('abcdef\n'), { limits }))).code).toBe('CELL_TOO_LONG');
    expect(
      (await rejectionOf(() => readAll(chunked(utf8(`"${'x'.repeat(100)}`), [4]), { limits }))).code,
    ).toBe('CELL_TOO_LONG');
    expect(await readAll(utf8('a,b,,,,,,,\n'), { limits })).toEqual([{ rowNumber: 1, cells: ['a', 'b'] }]);
  });

  it('gives the same rows however the bytes are cut into chunks (multi-byte characters included)', async () => {
    // Arrange: random rows of awkward text, written with RFC 4180 quoting
    const field = fc.oneof(
      fc.constant(''),
      fc.string({ unit: fc.constantFrom('a', 'ș', 'Ț', '😀', '"', ',', ';', '\n', '\r\n', ' ', '中', 'é') }),
    );
    const table = fc.array(fc.array(field, { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 12 });
    const sizes = fc.array(fc.integer({ min: 1, max: 9 }), { minLength: 1, maxLength: 6 });

    await fc.assert(
      fc.asyncProperty(table, sizes, fc.boolean(), async (rows, cuts, crlf) => {
        // Act
        const quote = (f: string) => (/[",;\r\n]/.test(f) || f === '' ? `"${f.replaceAll('"', '""')}"` : f);
        const text = rows.map((r) => r.map(quote).join(',')).join(crlf ? '\r\n' : '\n');
        const read = await readAll(chunked(utf8(text), cuts), { delimiter: ',' }).catch((e) => e);

        // Assert
        const expected = rows
          .map((r, i) => {
            const cells: CellValue[] = r.map((f) => (f === '' ? null : f));
            while (cells.length > 0 && cells.at(-1) === null) cells.pop();
            return { rowNumber: i + 1, cells };
          })
          .filter((r) => r.cells.length > 0);
        if (expected.length === 0) expect(read).toMatchObject({ code: 'EMPTY' });
        else expect(read).toEqual(expected);
      }),
      { seed: 20_250_601, numRuns: 300 },
    );
  });

  it('accepts a stream of strings', async () => {
    expect(await readAll(() => Readable.from(['Nume,Oraș\n', 'Ana,Iași\n']))).toEqual([
      { rowNumber: 1, cells: ['Nume', 'Oraș'] },
      { rowNumber: 2, cells: ['Ana', 'Iași'] },
    ]);
  });

  it('answers any bytes with rows or a SpreadsheetRejected (fuzz)', async () => {
    const bytes = fc.uint8Array({ maxLength: 300 }).map((b) => b.map((x) => (x === 0 ? 0x22 : x))); // NUL: binary
    const text = fc.string({
      unit: fc.constantFrom('"', ',', ';', '\n', '\r', 'a', 'ș', '\uFEFF', '\t'),
      maxLength: 60,
    });
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(bytes, text.map(utf8)),
        fc.integer({ min: 1, max: 7 }),
        async (input, cut) => {
          const outcome = await readAll(chunked(input, [cut])).catch((error: unknown) => error);
          if (!Array.isArray(outcome)) expect(outcome).toBeInstanceOf(SpreadsheetRejected);
        },
      ),
      { seed: 4180, numRuns: 300 },
    );
  });
});
