import { describe, expect, it } from 'vitest';
import { csvField, csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import type { SpreadsheetCell, SpreadsheetColumn } from '#ports/spreadsheet-writer';
import { isUnguarded, parseCsv, TRIGGER_CHARS } from '../../../support/csv';

const COLUMNS: SpreadsheetColumn[] = [
  { header: 'row', kind: 'number' },
  { header: 'to (digits)', kind: 'phone' },
  { header: 'text', kind: 'text' },
];

async function* rowsOf(rows: readonly (readonly SpreadsheetCell[])[]) {
  yield* rows;
}

async function write(rows: readonly (readonly SpreadsheetCell[])[], columns = COLUMNS) {
  return Buffer.from(await csvWriter.write(columns, rowsOf(rows)));
}

describe('csvField: RFC 4180 quoting', () => {
  it.each([
    ['plain', 'plain'],
    ['', ''],
    ['a,b', '"a,b"'],
    ['say "hi"', '"say ""hi"""'],
    ['"', '""""'],
    ['line\nbreak', '"line\nbreak"'],
    ['cr\rhere', '"cr\rhere"'],
    ['crlf\r\nhere', '"crlf\r\nhere"'],
    ['tab\there', 'tab\there'],
    ["it's", "it's"],
    ['ăâîșț', 'ăâîșț'],
  ])('%j → %j', (input, expected) => {
    expect(csvField(input)).toBe(expected);
  });
});

describe('csvWriter', () => {
  it('writes UTF-8 with a BOM, a header row and CRLF after every record', async () => {
    // Arrange
    const rows = [[1, '+40722000011', 'Salut']];

    // Act
    const bytes = await write(rows);

    // Assert
    expect([...bytes.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const text = bytes.toString('utf8');
    expect(text).toBe('\uFEFFrow,to (digits),text\r\n1,40722000011,Salut\r\n');
    expect(csvWriter.contentType).toBe('text/csv; charset=utf-8');
  });

  it('guards every trigger character, quotes per RFC 4180 and reads back to the guarded values', async () => {
    // Arrange: each trigger alone and leading a payload, plus quoting cases.
    const texts = [
      ...TRIGGER_CHARS,
      ...TRIGGER_CHARS.map((c) => `${c}1+1`),
      '=HYPERLINK("http://evil","x")',
      '+1+1',
      '@SUM(A1)',
      "-2+3+cmd|' /C calc'!A0",
      'a,b',
      'say "hi"',
      'two\r\nlines',
      'only\nLF',
      '\r\n=1',
    ];
    const rows = texts.map((text, i) => [i + 2, '+40722000011', text]);

    // Act
    const records = parseCsv((await write(rows)).toString('utf8').slice(1));

    // Assert
    expect(records).toHaveLength(texts.length + 1);
    for (const [i, text] of texts.entries()) {
      const expected = TRIGGER_CHARS.includes(text.charAt(0)) ? `'${text}` : text;
      expect(records[i + 1]).toEqual([String(i + 2), '40722000011', expected]);
    }
    for (const cell of records.flat()) expect(isUnguarded(cell)).toBe(false);
  });

  it('keeps unicode intact: Romanian diacritics, both cedilla and comma forms, CJK and emoji', async () => {
    // Arrange
    const texts = ['ăâîșțĂÂÎȘȚ', 'şţŞŢ (cedilla)', '你好，世界', '😀👍🏽 emoji', 'Ω≈ç√∫'];

    // Act
    const text = (await write(texts.map((t, i) => [i, undefined, t]))).toString('utf8');

    // Assert
    const records = parseCsv(text.slice(1));
    expect(records.slice(1).map((r) => r[2])).toEqual([
      'ăâîșțĂÂÎȘȚ',
      'şţŞŢ (cedilla)',
      '你好，世界',
      '😀👍🏽 emoji',
      'Ω≈ç√∫',
    ]);
    expect(records.slice(1).map((r) => r[1])).toEqual(['', '', '', '', '']);
  });

  it('writes empty cells as empty fields, numbers as digits and a non-E.164 phone as guarded text', async () => {
    const records = parseCsv(
      (
        await write([
          [3, '+0722', undefined],
          [4, '0722000011', ''],
          [5, undefined, '-'],
        ])
      )
        .toString('utf8')
        .slice(1),
    );
    expect(records.slice(1)).toEqual([
      ['3', "'+0722", ''],
      ['4', '0722000011', ''],
      ['5', '', "'-"],
    ]);
  });

  it('stays byte-exact across its internal slices (many rows of multi-byte text)', async () => {
    // Arrange: enough rows to cross the encoder's slice boundary many times.
    const rows = Array.from({ length: 5_000 }, (_, i) => [i, '+40722000011', `Țară ${i} 😀, „citat”`]);

    // Act
    const bytes = await write(rows);

    // Assert
    const expected = `\uFEFFrow,to (digits),text\r\n${rows.map(([i]) => `${i},40722000011,"Țară ${i} 😀, „citat”"\r\n`).join('')}`;
    expect(bytes.equals(Buffer.from(expected, 'utf8'))).toBe(true);
  });

  it('guards the header too', async () => {
    const text = (await write([], [{ header: '=cmd', kind: 'text' }])).toString('utf8');
    expect(text).toBe("\uFEFF'=cmd\r\n");
  });
});
