/**
 * Files built to hurt: every one must end in a SpreadsheetRejected with a clear code, within the limits
 * (memory is bounded by what the limits let through, asserted on the bytes that reach the reader and on
 * the process's high-water mark), and never in another exception or a hang.
 */
import { constants, deflateRawSync } from 'node:zlib';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listSheets, openSpreadsheet, SpreadsheetRejected } from '#adapters/spreadsheet/spreadsheet';
import {
  buildZip,
  deflatedZeros,
  exceljsXlsx,
  readAll,
  rejectionOf,
  xlsxEntries,
  xlsxFromXml,
  type ZipEntrySpec,
} from '../../../support/spreadsheet-fixtures';

const MiB = 1024 * 1024;

/** A workbook whose only sheet part is `sheet`. */
function workbookWith(sheet: ZipEntrySpec): Buffer {
  const entries = xlsxEntries({ sheets: [{ name: 'S', xml: '' }] }).filter(
    (e) => !e.name.includes('worksheets/'),
  );
  return buildZip([...entries, { ...sheet, name: 'xl/worksheets/sheet1.xml' }]);
}

const BOMB_ROW = '<row><c t="inlineStr"><is><t>bomb</t></is></c></row>';

/** 1 GiB of valid sheet rows in ~3 MB: one 1 MiB slice of rows, deflated once, repeated. */
function rowsBomb(): { bytes: Buffer; size: number; crc: number } {
  const head = Buffer.from('<worksheet><sheetData>');
  const slice = Buffer.from(BOMB_ROW.repeat(Math.floor(MiB / BOMB_ROW.length)));
  const copies = Math.floor((1024 * MiB) / slice.length);
  const first = deflateRawSync(Buffer.concat([head, slice]), {
    level: 9,
    finishFlush: constants.Z_SYNC_FLUSH,
  });
  const block = deflateRawSync(slice, { level: 9, finishFlush: constants.Z_SYNC_FLUSH });
  const bytes = Buffer.concat([
    first,
    ...Array.from({ length: copies - 1 }, () => block),
    deflateRawSync(Buffer.alloc(0)),
  ]);
  return { bytes, size: head.length + slice.length * copies, crc: 0 };
}

/** Runs `read`; also returns how far it raised the process's peak RSS above the RSS before it. */
async function withPeakGrowth<T>(read: () => Promise<T>): Promise<{ result: T; growth: number }> {
  const before = process.resourceUsage().maxRSS * 1024;
  const rss = process.memoryUsage().rss;
  const result = await read();
  const after = process.resourceUsage().maxRSS * 1024;
  return { result, growth: after > before ? after - rss : 0 };
}

describe('zip bombs', () => {
  it('refuses a ~1 MB file that inflates to 1 GiB from its declared sizes, before reading a row', async () => {
    // Arrange
    const bomb = workbookWith({ name: '', deflated: deflatedZeros(MiB, 1024) });

    // Act
    const error = await rejectionOf(() => openSpreadsheet(bomb));

    // Assert
    expect(bomb.length).toBeLessThan(1.5 * MiB);
    expect(error.code).toBe('ZIP_BOMB');
    expect(error.details).toMatchObject({ entry: 'xl/worksheets/sheet1.xml', limit: 200 });
    expect(error.message).toMatch(/compressed 10\d\d:1/);
  });

  it('refuses 1 GiB of valid rows declared honestly, before reading a row', async () => {
    // Arrange
    const bomb = workbookWith({ name: '', deflated: rowsBomb() });

    // Act
    const error = await rejectionOf(() => openSpreadsheet(bomb));

    // Assert
    expect(bomb.length).toBeLessThan(4 * MiB);
    expect(error.code).toBe('ZIP_BOMB');
  });

  it('stops 1 GiB of rows whose size field says 2 MiB once 2 MiB have come out, memory bounded', async () => {
    // Arrange
    const bomb = workbookWith({ name: '', deflated: rowsBomb(), declaredSize: 2 * MiB });
    let rows = 0;

    // Act
    const { result: error, growth } = await withPeakGrowth(() =>
      rejectionOf(async () => {
        for await (const _ of (await openSpreadsheet(bomb)).rows()) rows++;
      }),
    );

    // Assert: only rows from the first 2 MiB (~40 000) were ever produced
    expect(error.code).toBe('ZIP_BOMB');
    expect(error.details).toMatchObject({ declared: 2 * MiB });
    expect(rows).toBeGreaterThan(0);
    expect(rows).toBeLessThanOrEqual((2 * MiB) / BOMB_ROW.length);
    expect(growth).toBeLessThan(256 * MiB);
  });

  it('stops zeros whose size field lies, whatever the reader makes of them', async () => {
    // Arrange: declared 1 MiB (a plausible ratio), holds 1 GiB of NUL bytes
    const bomb = workbookWith({ name: '', deflated: deflatedZeros(MiB, 1024), declaredSize: MiB });

    // Act
    const error = await rejectionOf(() => readAll(bomb));

    // Assert
    expect(['ZIP_BOMB', 'CORRUPT']).toContain(error.code);
  });

  it('refuses shared strings larger than their own limit before loading them', async () => {
    // Arrange
    const bytes = xlsxFromXml({
      sheets: [{ name: 'S', xml: '<row><c t="s"><v>0</v></c></row>' }],
      extra: [
        { name: 'xl/sharedStrings.xml', data: '<sst><si><t>x</t></si></sst>', declaredSize: 400 * MiB },
      ],
    });

    // Act
    const error = await rejectionOf(() => readAll(bytes, { limits: { maxCompressionRatio: 1e12 } }));

    // Assert
    expect(error.code).toBe('TOO_LARGE');
  });
});

describe('hostile structure', () => {
  it('refuses 100 000 entries fast, from the end record', async () => {
    // Arrange
    const entries = Array.from({ length: 100_000 }, (_, i) => ({ name: `x/${i}`, method: 0 as const }));
    const zip = buildZip(
      [...xlsxEntries({ sheets: [{ name: 'S', xml: '<row><c><v>1</v></c></row>' }] }), ...entries],
      {
        zip64: true,
      },
    );

    // Act
    const error = await rejectionOf(() => openSpreadsheet(zip));

    // Assert
    expect(error.code).toBe('TOO_MANY_ENTRIES');
    expect(error.details).toMatchObject({ actual: 100_006 });
  });

  it.each([['../../etc/cron.d/x'], ['/tmp/x'], ['xl\\..\\..\\x']])('refuses the entry %j', async (name) => {
    const bytes = xlsxFromXml({
      sheets: [{ name: 'S', xml: '<row><c><v>1</v></c></row>' }],
      extra: [{ name, data: 'x' }],
    });
    expect((await rejectionOf(() => openSpreadsheet(bytes))).code).toBe('UNSAFE_ENTRY_NAME');
  });

  it('refuses zip-encrypted entries', async () => {
    const bytes = buildZip(
      xlsxEntries({ sheets: [{ name: 'S', xml: '' }] }).map((e) => ({ ...e, flags: 1 })),
    );
    expect((await rejectionOf(() => openSpreadsheet(bytes))).code).toBe('ENCRYPTED');
  });

  it('refuses a declared compressed size running past the file as CORRUPT', async () => {
    const bytes = workbookWith({ name: '', data: '<worksheet/>', declaredCompressedSize: 10 * MiB });
    expect((await rejectionOf(() => openSpreadsheet(bytes))).code).toBe('CORRUPT');
  });
});

describe('what is not an xlsx, an xls or a CSV', () => {
  const ole = (withEncryption: boolean) => {
    const bytes = Buffer.alloc(4096);
    Buffer.from([0xd0, 0xcf, 0x11, 0xe0, 0xa1, 0xb1, 0x1a, 0xe1]).copy(bytes);
    Buffer.from(withEncryption ? 'EncryptedPackage' : 'Workbook', 'utf16le').copy(bytes, 1024);
    return bytes;
  };

  it.each([
    ['a password-protected xlsx (OLE with EncryptedPackage)', ole(true), 'ENCRYPTED'],
    ['an OLE file whose compound-file structure is broken', ole(false), 'CORRUPT'],
    ['a PDF', Buffer.from('%PDF-1.7\n%âãÏÓ\n1 0 obj'), 'NOT_A_SPREADSHEET'],
    ['a PNG', Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), 'NOT_A_SPREADSHEET'],
    ['binary noise', Buffer.from([1, 2, 3, 0, 5, 6, 7, 8]), 'NOT_A_SPREADSHEET'],
    [
      'an HTML table saved as .xls',
      Buffer.from('<html><body><table><tr><td>1</td></tr></table>'),
      'UNSUPPORTED_FORMAT',
    ],
    [
      'a zip that is not a workbook',
      buildZip([{ name: 'word/document.xml', data: '<w/>' }]),
      'NOT_A_SPREADSHEET',
    ],
    [
      'an OpenDocument spreadsheet',
      buildZip([{ name: 'mimetype', data: 'application/vnd.oasis.opendocument.spreadsheet', method: 0 }]),
      'UNSUPPORTED_FORMAT',
    ],
    [
      'a binary workbook (.xlsb)',
      buildZip([
        {
          name: '_rels/.rels',
          data: '<Relationships><Relationship Id="r" Type="x/officeDocument" Target="xl/workbook.bin"/></Relationships>',
        },
        { name: 'xl/workbook.bin', data: 'binary' },
      ]),
      'UNSUPPORTED_FORMAT',
    ],
    ['an empty file', Buffer.alloc(0), 'EMPTY'],
  ])('refuses %s', async (_, bytes, code) => {
    expect((await rejectionOf(() => readAll(bytes))).code).toBe(code);
  });
});

describe('mutated files (fuzz)', () => {
  /** Every outcome is rows or a SpreadsheetRejected: anything else fails the property. */
  async function readEverything(bytes: Uint8Array): Promise<void> {
    try {
      const book = await openSpreadsheet(bytes, { limits: { maxCellChars: 5000, maxRows: 10_000 } });
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
  }

  const sample = () =>
    exceljsXlsx(
      (wb) => {
        const ws = wb.addWorksheet('Date');
        ws.addRow(['Telefon', 'Nume', 'Data', 'Suma']);
        for (let i = 0; i < 40; i++) {
          ws.addRow([
            40722000000 + i,
            `Ștefan ${i} 😀 & <co>`,
            new Date(Date.UTC(2024, 0, i + 1)),
            { formula: `A${i + 2}*2`, result: i * 2 },
          ]);
        }
        ws.mergeCells('E1:F2');
        wb.addWorksheet('Ascuns', { state: 'hidden' }).addRow(['x', true, 1.5]);
      },
      { sharedStrings: true },
    );

  const mutation = fc.oneof(
    fc.record({ kind: fc.constant('flip' as const), at: fc.nat(), value: fc.integer({ min: 0, max: 255 }) }),
    fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
    fc.record({ kind: fc.constant('zero' as const), at: fc.nat(), length: fc.integer({ min: 1, max: 64 }) }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at: fc.nat(),
      length: fc.integer({ min: 1, max: 256 }),
    }),
  );

  type Mutation = typeof mutation extends fc.Arbitrary<infer M> ? M : never;

  function mutate(bytes: Uint8Array, mutations: Mutation[]): Uint8Array {
    let out = Buffer.from(bytes);
    for (const m of mutations) {
      const at = m.at % Math.max(1, out.length);
      if (m.kind === 'flip') out[at] = m.value;
      else if (m.kind === 'truncate') out = out.subarray(0, at);
      else if (m.kind === 'zero') out.fill(0, at, Math.min(out.length, at + m.length));
      else out = Buffer.concat([out.subarray(0, at + m.length), out.subarray(at)]);
    }
    return out;
  }

  it('answers 200 byte-mutated workbooks with rows or a SpreadsheetRejected, never anything else', async () => {
    // Arrange
    const original = await sample();

    // Act / Assert
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 4 }), (mutations) =>
        readEverything(mutate(original, mutations)),
      ),
      { seed: 5, numRuns: 200 },
    );
  });

  it('answers 200 workbooks with mutated XML inside a valid zip the same way', async () => {
    // Arrange: the parts stored uncompressed, mutated, and zipped again with true sizes and CRCs
    const xmlParts = xlsxEntries({
      sheets: [
        {
          name: 'S',
          xml:
            '<row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="inlineStr"><is><r><t xml:space="preserve">Ș &amp; ț</t></r><rPh><t>x</t></rPh></is></c>' +
            '<c r="C1" s="1"><v>45429.5</v></c><c r="D1" t="str"><f>A1</f><v>&#x219;</v></c></row>' +
            '<row r="3"><c r="A3" t="b"><v>1</v></c><c r="B3" t="e"><v>#N/A</v></c><c r="C3"><v>7.22123456E+8</v></c><c t="d"><v>2024-05-17T13:30:00Z</v></c></row>',
        },
      ],
      sharedStrings: ['<si><t>telefon</t></si>', '<si><r><t>a</t></r><r><t>b</t></r></si>'],
      cellXfs: '<xf numFmtId="0"/><xf numFmtId="14"/>',
      numFmts: '<numFmts count="1"><numFmt numFmtId="164" formatCode="dd/mm/yyyy"/></numFmts>',
    });
    const targets = xmlParts.map((e, i) => [i, e] as const).filter(([, e]) => e.name.startsWith('xl/'));
    const markup = fc.constantFrom(
      '<',
      '>',
      '/',
      '"',
      '&',
      '=',
      ':',
      ' ',
      '0',
      '9',
      'E',
      '-',
      '#',
      ';',
      'r',
      'ș',
      '\u0000',
    );

    // Act / Assert
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...targets),
        fc.array(
          fc.record({ at: fc.nat(), text: fc.string({ unit: markup, maxLength: 3 }), cut: fc.nat(4) }),
          {
            minLength: 1,
            maxLength: 4,
          },
        ),
        async ([index, entry], edits) => {
          let xml = String(entry.data);
          for (const { at, text, cut } of edits) {
            const p = at % (xml.length + 1);
            xml = xml.slice(0, p) + text + xml.slice(p + cut);
          }
          const entries = xmlParts.map((e, i) => (i === index ? { ...e, data: xml, method: 0 as const } : e));
          await readEverything(buildZip(entries));
        },
      ),
      { seed: 6, numRuns: 200 },
    );
  });

  it('lists the sheets of an intact sample (the fuzz base is a real workbook)', async () => {
    expect((await listSheets(await sample())).map((s) => s.name)).toEqual(['Date', 'Ascuns']);
  });
});
