import { describe, expect, it } from 'vitest';
import { listSheets, openSpreadsheet } from '#adapters/spreadsheet/spreadsheet';
import {
  buildZip,
  exceljsXlsx,
  readAll,
  rejectionOf,
  xlsxEntries,
  xlsxFromXml,
} from '../../../support/spreadsheet-fixtures';

const may17 = new Date(Date.UTC(2024, 4, 17, 13, 30));

describe.each([
  { sharedStrings: true, label: 'shared strings' },
  { sharedStrings: false, label: 'inline strings' },
])('an exceljs workbook with $label', ({ sharedStrings }) => {
  const workbook = () =>
    exceljsXlsx(
      (wb) => {
        const ws = wb.addWorksheet('Clienți');
        ws.addRow(['Telefon', 'Nume', '__proto__', 'constructor', 'Data']);
        ws.addRow([40722123456, 'Ștefan Țăranu 😀', 'x & y <z> "q"', true, may17]);
        ws.addRow([
          '0722 123 456',
          { richText: [{ text: 'Ana ', font: { bold: true } }, { text: 'Mureșan' }] },
          { formula: 'A2*2', result: 81444246912 },
          { formula: 'B2&"!"', result: 'Ștefan Țăranu 😀!' },
          { error: '#N/A' },
        ]);
        ws.addRow([]);
        ws.getRow(6).getCell(3).value = '  spaced  ';
        ws.mergeCells('A8:B9');
        ws.getCell('A8').value = 'merged';
        wb.addWorksheet('Ascuns', { state: 'hidden' }).addRow(['secret']);
        wb.addWorksheet('Foarte ascuns', { state: 'veryHidden' }).addRow(['more secret']);
        wb.addWorksheet('Gol');
      },
      { sharedStrings },
    );

  it('lists every sheet in tab order with its visibility', async () => {
    // Act
    const sheets = await listSheets(await workbook());

    // Assert
    expect(sheets).toEqual([
      { name: 'Clienți', hidden: false, index: 0 },
      { name: 'Ascuns', hidden: true, index: 1 },
      { name: 'Foarte ascuns', hidden: true, index: 2 },
      { name: 'Gol', hidden: false, index: 3 },
    ]);
  });

  it('reads values with their types, cached formula results and row numbers', async () => {
    // Act
    const rows = await readAll(await workbook());

    // Assert
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['Telefon', 'Nume', '__proto__', 'constructor', 'Data'] },
      { rowNumber: 2, cells: [40722123456, 'Ștefan Țăranu 😀', 'x & y <z> "q"', true, may17] },
      { rowNumber: 3, cells: ['0722 123 456', 'Ana Mureșan', 81444246912, 'Ștefan Țăranu 😀!', '#N/A'] },
      { rowNumber: 6, cells: [null, null, '  spaced  '] },
      { rowNumber: 8, cells: ['merged'] },
    ]);
  });

  it('keeps __proto__ and constructor as plain strings without touching any prototype', async () => {
    // Act
    const [header] = await readAll(await workbook());

    // Assert
    expect(header?.cells[2]).toBe('__proto__');
    expect(Object.getPrototypeOf(header?.cells)).toBe(Array.prototype);
    expect(({} as Record<string, unknown>).Telefon).toBeUndefined();
  });

  it('reads hidden sheets by name or index, names ignoring case', async () => {
    // Arrange
    const book = await openSpreadsheet(await workbook());

    // Act
    const byName = [];
    for await (const row of book.rows({ sheet: 'ascuns' })) byName.push(row);
    const byIndex = [];
    for await (const row of book.rows({ sheet: 2 })) byIndex.push(row);

    // Assert
    expect(byName).toEqual([{ rowNumber: 1, cells: ['secret'] }]);
    expect(byIndex).toEqual([{ rowNumber: 1, cells: ['more secret'] }]);
  });

  it('refuses an unknown sheet and an empty one', async () => {
    const bytes = await workbook();
    const missing = await rejectionOf(() => readAll(bytes, { sheet: 'Nu există' }));
    expect(missing.code).toBe('SHEET_NOT_FOUND');
    expect(missing.details).toMatchObject({ sheets: ['Clienți', 'Ascuns', 'Foarte ascuns', 'Gol'] });
    expect((await rejectionOf(() => readAll(bytes, { sheet: 'Gol' }))).code).toBe('EMPTY');
    expect((await rejectionOf(() => readAll(bytes, { sheet: 9 }))).code).toBe('SHEET_NOT_FOUND');
  });

  it('stops after maxRows rows for a preview', async () => {
    expect((await readAll(await workbook(), { maxRows: 2 })).map((r) => r.rowNumber)).toEqual([1, 2]);
  });
});

const sheet = (xml: string, extra: Partial<Parameters<typeof xlsxFromXml>[0]> = {}) =>
  xlsxFromXml({ sheets: [{ name: 'S', xml }], ...extra });

describe('cell values', () => {
  it('decodes entities, preserved spaces, OOXML escapes, rich text and CDATA; leaves out phonetic runs', async () => {
    // Arrange
    const bytes = sheet(
      '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="s"><v>2</v></c>' +
        '<c r="D1" t="inlineStr"><is><r><t>Bun </t></r><r><rPr><b/></rPr><t xml:space="preserve">ven&#x69;t </t></r><rPh sb="0" eb="1"><t>ignored</t></rPh></is></c>' +
        '<c r="E1" t="inlineStr"><is><t><![CDATA[a<b & c]]></t></is></c><c r="F1" t="s"><v>3</v></c></row>',
      {
        sharedStrings: [
          '<si><t>&amp; &lt; &gt; &quot; &apos; &#x219; &#537; &#x1F600; &bogus;</t></si>',
          '<si><t xml:space="preserve">  two  spaces  </t></si>',
          '<si><r><t>line</t></r><r><t>_x000D_\nbreak _x005F_x0041_</t></r><rPh><t>ふりがな</t></rPh></si>',
          '<si><t/></si>',
        ],
      },
    );

    // Act
    const [row] = await readAll(bytes);

    // Assert
    expect(row?.cells).toEqual([
      '& < > " \' ș ș 😀 &bogus;',
      '  two  spaces  ',
      'line\r\nbreak _x0041_',
      'Bun venit ',
      'a<b & c',
    ]);
  });

  it('stays linear on texts made of unfinished entities', async () => {
    // Arrange: 32 000 `&` and no `;` (kept as written: a lenient reader does not misread them)
    const bytes = sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>${'&'.repeat(32_000)}</t></is></c></row>`);

    // Act
    const [row] = await readAll(bytes);

    // Assert
    expect(row?.cells[0]).toBe('&'.repeat(32_000));
  });

  it('reads every cell type', async () => {
    // Arrange
    const bytes = sheet(
      '<row r="1"><c r="A1" t="n"><v>40722123456</v></c><c r="B1"><v>7.22123456E+8</v></c><c r="C1"><v>-0.5</v></c>' +
        '<c r="D1" t="b"><v>0</v></c><c r="E1" t="e"><v>#DIV/0!</v></c><c r="F1" t="str"><f>A1&amp;""</f><v>40722123456</v></c>' +
        '<c r="G1" t="d"><v>2024-05-17T13:30:00</v></c><c r="H1"><f>NOW()</f></c><c r="I1" t="s"/><c r="J1" s="0"/>' +
        '<c r="K1"><v></v></c><c r="L1" t="s"><v></v></c></row>',
    );

    // Act
    const [row] = await readAll(bytes);

    // Assert
    expect(row?.cells).toEqual([40722123456, 722123456, -0.5, false, '#DIV/0!', '40722123456', may17]);
  });

  it('turns date-formatted numbers into dates, in both date systems, and leaves other formats alone', async () => {
    // Arrange
    const cellXfs = [
      '<xf numFmtId="0"/>',
      '<xf numFmtId="14"/>',
      '<xf numFmtId="164"/>',
      '<xf numFmtId="165"/>',
      '<xf numFmtId="166"/>',
      '<xf numFmtId="167"/>',
      '<xf numFmtId="10"/>',
    ].join('');
    const numFmts =
      '<numFmts><numFmt numFmtId="164" formatCode="dd/mm/yyyy\\ hh:mm"/><numFmt numFmtId="165" formatCode="[h]:mm"/>' +
      '<numFmt numFmtId="166" formatCode="&quot;day &quot;0"/><numFmt numFmtId="167" formatCode="[Red]#,##0.00"/></numFmts>';
    const xml =
      '<row r="1"><c r="A1" s="1"><v>45429</v></c><c r="B1" s="2"><v>45429.5625</v></c><c r="C1" s="3"><v>1.5</v></c>' +
      '<c r="D1" s="4"><v>7</v></c><c r="E1" s="5"><v>7</v></c><c r="F1" s="6"><v>0.25</v></c><c r="G1" s="1"><v>-1</v></c></row>';

    // Act
    const [row1900] = await readAll(sheet(xml, { cellXfs, numFmts }));
    const [row1904] = await readAll(sheet(xml, { cellXfs, numFmts, date1904: true }));

    // Assert
    expect(row1900?.cells).toEqual([
      new Date(Date.UTC(2024, 4, 17)),
      new Date(Date.UTC(2024, 4, 17, 13, 30)),
      new Date(Date.UTC(1900, 0, 1, 12)),
      7,
      7,
      0.25,
      -1,
    ]);
    expect(row1904?.cells[0]).toEqual(new Date(Date.UTC(2028, 4, 18)));
  });

  it('takes position for cells and rows written without r, and keeps the row numbers of sparse rows', async () => {
    // Arrange
    const bytes = sheet(
      '<row><c t="inlineStr"><is><t>a</t></is></c><c><v>1</v></c></row><row r="4"><c r="C4"><v>3</v></c><c><v>4</v></c></row>' +
        '<row><c r="B9"><v>9</v></c></row><row r="10"></row><row r="11"><c r="A11" s="1"/></row><row><c><v>12</v></c></row>',
    );

    // Act
    const rows = await readAll(bytes);

    // Assert
    expect(rows).toEqual([
      { rowNumber: 1, cells: ['a', 1] },
      { rowNumber: 4, cells: [null, null, 3, 4] },
      { rowNumber: 9, cells: [null, 9] },
      { rowNumber: 12, cells: [12] },
    ]);
  });

  it('reads parts written with a namespace prefix', async () => {
    // Arrange
    const bytes = sheet(
      '<?xml version="1.0"?><x:worksheet xmlns:x="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><x:sheetData>' +
        '<x:row x:r="1"><x:c r="A1" t="inlineStr"><x:is><x:t>prefixed</x:t></x:is></x:c></x:row></x:sheetData></x:worksheet>',
    );

    // Act
    const rows = await readAll(bytes);

    // Assert
    expect(rows).toEqual([{ rowNumber: 1, cells: ['prefixed'] }]);
  });

  it('reads a workbook whose relationship parts are missing by Excel’s usual part names', async () => {
    // Arrange
    const bytes = xlsxFromXml({
      sheets: [{ name: 'S', xml: '<row r="1"><c r="A1" t="s"><v>0</v></c></row>' }],
      sharedStrings: ['found'],
      extra: [{ name: 'xl/_rels/workbook.xml.rels', data: '<Relationships/>' }],
    });

    // Act
    const rows = await readAll(bytes);

    // Assert
    expect(rows).toEqual([{ rowNumber: 1, cells: ['found'] }]);
  });
});

describe('refusals', () => {
  it.each([
    ['rows out of order', '<row r="2"><c><v>1</v></c></row><row r="1"><c><v>1</v></c></row>'],
    ['cells out of order', '<row r="1"><c r="B1"><v>1</v></c><c r="A1"><v>1</v></c></row>'],
    ['a number that is not one', '<row r="1"><c r="A1"><v>12abc</v></c></row>'],
    ['a long number that is not one', `<row r="1"><c r="A1"><v>${'1'.repeat(200_000)}x</v></c></row>`],
    ['a bad cell reference', '<row r="1"><c r="1A"><v>1</v></c></row>'],
    ['a column beyond XFD', '<row r="1"><c r="XFE1"><v>1</v></c></row>'],
    ['an unknown cell type', '<row r="1"><c r="A1" t="zz"><v>1</v></c></row>'],
    ['a missing shared string', '<row r="1"><c r="A1" t="s"><v>5</v></c></row>'],
    ['a bad boolean', '<row r="1"><c r="A1" t="b"><v>2</v></c></row>'],
    ['unclosed markup', '<row r="1"><c r="A1"><v>1</v></c></row><row r="2"'],
    ['a sheet cut short', '<?xml version="1.0"?><worksheet><sheetData><row r="1"><c r="A1"><v>1</v></c>'],
    ['a DOCTYPE', '<!DOCTYPE lol [<!ENTITY a "aaaa">]><row r="1"><c r="A1"><v>1</v></c></row>'],
  ])('refuses %s as CORRUPT', async (_, xml) => {
    // Act
    const error = await rejectionOf(() => readAll(sheet(xml)));

    // Assert
    expect(error.code).toBe('CORRUPT');
  });

  it('refuses invalid UTF-8 as CORRUPT', async () => {
    // Arrange
    const bytes = sheet('<row r="1"><c r="A1" t="inlineStr"><is><t>ok</t></is></c></row>', { method: 0 });
    bytes[bytes.indexOf('>ok<') + 1] = 0xc3; // a lead byte followed by "k": invalid (the CRC is not rewritten,
    // but the reader reports the bad text before it reaches the end of the entry)

    // Act
    const error = await rejectionOf(() => readAll(bytes));

    // Assert
    expect(error.code).toBe('CORRUPT');
  });

  it('refuses a sheet with values beyond maxColumns, but not empty styled cells there', async () => {
    // Arrange
    const wide = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="E1"><v>5</v></c></row>');
    const styled = sheet('<row r="1"><c r="A1"><v>1</v></c><c r="XFD1" s="0"/></row>');

    // Act
    const error = await rejectionOf(() => readAll(wide, { limits: { maxColumns: 4 } }));
    const rows = await readAll(styled, { limits: { maxColumns: 4 } });

    // Assert
    expect(error.code).toBe('TOO_MANY_COLUMNS');
    expect(rows).toEqual([{ rowNumber: 1, cells: [1] }]);
  });

  it('refuses more rows than maxRows, counting non-empty rows only', async () => {
    // Arrange
    const xml = Array.from({ length: 5 }, (_, i) => `<row r="${i * 2 + 1}"><c><v>${i}</v></c></row>`).join(
      '',
    );

    // Act
    const error = await rejectionOf(() => readAll(sheet(xml), { limits: { maxRows: 4 } }));
    const rows = await readAll(sheet(xml), { limits: { maxRows: 5 } });

    // Assert
    expect(error.code).toBe('TOO_MANY_ROWS');
    expect(error.details).toMatchObject({ limit: 4, rowNumber: 9 });
    expect(rows).toHaveLength(5);
  });

  it('refuses a cell longer than maxCellChars, shared or inline', async () => {
    const long = 'ș'.repeat(101);
    const inline = sheet(`<row r="1"><c r="A1" t="inlineStr"><is><t>${long}</t></is></c></row>`);
    const shared = sheet('<row r="1"><c r="A1" t="s"><v>0</v></c></row>', { sharedStrings: [long] });
    const limits = { maxCellChars: 100 };
    expect((await rejectionOf(() => readAll(inline, { limits }))).code).toBe('CELL_TOO_LONG');
    expect((await rejectionOf(() => readAll(shared, { limits }))).code).toBe('CELL_TOO_LONG');
  });

  it.each([
    ['no rows', ''],
    ['only empty cells', '<row r="1"><c r="A1" s="1"/><c r="B1" t="s"></c></row><row r="2"/>'],
    ['only empty text', '<row r="1"><c r="A1" t="inlineStr"><is><t></t></is></c></row>'],
  ])('refuses a sheet with %s as EMPTY', async (_, xml) => {
    expect((await rejectionOf(() => readAll(sheet(xml)))).code).toBe('EMPTY');
  });

  it('refuses a workbook whose sheet part is missing as CORRUPT', async () => {
    // Arrange
    const entries = xlsxEntries({ sheets: [{ name: 'S', xml: '<row><c><v>1</v></c></row>' }] });
    const broken = buildZip(entries.filter((e) => !e.name.includes('worksheets/')));

    // Act
    const error = await rejectionOf(() => readAll(broken));

    // Assert
    expect(error.code).toBe('CORRUPT');
  });
});
