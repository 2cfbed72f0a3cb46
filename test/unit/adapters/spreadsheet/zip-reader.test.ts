import { crc32, deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { SpreadsheetRejected } from '#adapters/spreadsheet/errors';
import { DEFAULT_SPREADSHEET_LIMITS, resolveLimits } from '#adapters/spreadsheet/limits';
import { entryChunks, openZip, readEntry } from '#adapters/spreadsheet/zip-reader';
import { buildZip, deflatedZeros } from '../../../support/spreadsheet-fixtures';

const limits = DEFAULT_SPREADSHEET_LIMITS;

function rejection(run: () => unknown): SpreadsheetRejected {
  try {
    run();
  } catch (error) {
    if (error instanceof SpreadsheetRejected) return error;
    throw error;
  }
  throw new Error('expected a SpreadsheetRejected');
}

async function asyncRejection(run: () => Promise<unknown>): Promise<SpreadsheetRejected> {
  try {
    await run();
  } catch (error) {
    if (error instanceof SpreadsheetRejected) return error;
    throw error;
  }
  throw new Error('expected a SpreadsheetRejected');
}

async function inflateAll(
  zip: Buffer,
  name: string,
  overrides = {},
): Promise<{ bytes: number; text: string }> {
  const archive = openZip(zip, resolveLimits(overrides));
  const entry = archive.find(name);
  if (!entry) throw new Error(`no ${name}`);
  const chunks: Buffer[] = [];
  for await (const chunk of entryChunks(archive, entry)) chunks.push(Buffer.from(chunk));
  const all = Buffer.concat(chunks);
  return { bytes: all.length, text: all.toString('utf8') };
}

describe('openZip', () => {
  it('reads deflated and stored entries, names ignoring case', async () => {
    // Arrange
    const zip = buildZip([
      { name: 'a.txt', data: 'hello ș'.repeat(1000) },
      { name: 'Dir/B.xml', data: '<b/>', method: 0 },
    ]);

    // Act
    const archive = openZip(zip, limits);

    // Assert
    expect(archive.entries.map((e) => e.name)).toEqual(['a.txt', 'Dir/B.xml']);
    expect(archive.find('dir/b.XML')?.name).toBe('Dir/B.xml');
    expect((await inflateAll(zip, 'a.txt')).text).toBe('hello ș'.repeat(1000));
    expect((await inflateAll(zip, 'dir/b.xml')).text).toBe('<b/>');
  });

  it('reads ZIP64 end records', async () => {
    // Arrange
    const zip = buildZip([{ name: 'x', data: 'zip64' }], { zip64: true });

    // Act
    const { text } = await inflateAll(zip, 'x');

    // Assert
    expect(text).toBe('zip64');
  });

  it.each([
    ['no end record', Buffer.from('PK\u0003\u0004 then nothing useful at all, just bytes')],
    ['truncated', buildZip([{ name: 'a', data: 'x'.repeat(5000) }]).subarray(0, 60)],
  ])('refuses %s as CORRUPT', (_, bytes) => {
    // Act
    const error = rejection(() => openZip(bytes, limits));

    // Assert
    expect(error.code).toBe('CORRUPT');
  });

  it('refuses an empty zip as NOT_A_SPREADSHEET', () => {
    expect(rejection(() => openZip(buildZip([]), limits)).code).toBe('NOT_A_SPREADSHEET');
  });

  it.each([
    ['../evil.xml'],
    ['xl/../../evil.xml'],
    ['/etc/passwd'],
    ['C:/Windows/x'],
    ['xl\\worksheets\\sheet1.xml'],
    ['a\u0000b'],
  ])('refuses the entry name %j as UNSAFE_ENTRY_NAME', (name) => {
    // Arrange
    const zip = buildZip([
      { name: 'ok.xml', data: '<a/>' },
      { name, data: 'x' },
    ]);

    // Act
    const error = rejection(() => openZip(zip, limits));

    // Assert
    expect(error.code).toBe('UNSAFE_ENTRY_NAME');
    expect(error.details).toEqual({ entry: name });
  });

  it('refuses entries flagged as encrypted, before reading them', () => {
    const zip = buildZip([{ name: 'xl/workbook.xml', data: '<workbook/>', flags: 0x0001 }]);
    expect(rejection(() => openZip(zip, limits)).code).toBe('ENCRYPTED');
  });

  it('refuses two entries with the same name (ignoring case)', () => {
    const zip = buildZip([
      { name: 'xl/workbook.xml', data: '<a/>' },
      { name: 'XL/Workbook.xml', data: '<b/>' },
    ]);
    expect(rejection(() => openZip(zip, limits)).code).toBe('CORRUPT');
  });

  it('refuses a local header whose name differs from the central directory', () => {
    const zip = buildZip([{ name: 'xl/workbook.xml', localName: 'xl/workbook.xmm', data: '<a/>' }]);
    expect(rejection(() => openZip(zip, limits)).code).toBe('CORRUPT');
  });

  it('refuses a ~1 MB entry declaring 1 GiB as a bomb, from its ratio, before inflating anything', () => {
    // Arrange: honest sizes
    const bomb = deflatedZeros(1024 * 1024, 1024);
    const zip = buildZip([{ name: 'xl/worksheets/sheet1.xml', deflated: bomb }]);

    // Act
    const error = rejection(() => openZip(zip, limits));

    // Assert
    expect(zip.length).toBeLessThan(2 * 1024 * 1024);
    expect(error.code).toBe('ZIP_BOMB');
    expect(error.details).toMatchObject({
      entry: 'xl/worksheets/sheet1.xml',
      limit: limits.maxCompressionRatio,
    });
  });

  it('refuses an entry larger than the entry limit with a plausible ratio as TOO_LARGE', () => {
    // Arrange: declares 1 GiB from 10 MiB (ratio ~100)
    const entry = { name: 'a', data: 'x', declaredSize: 1024 ** 3, declaredCompressedSize: 10 * 1024 ** 2 };
    const zip = buildZip([entry]);

    // Act
    const error = rejection(() => openZip(zip, limits));

    // Assert: refused on the declared size (the data range is never even looked at)
    expect(error.code).toBe('TOO_LARGE');
    expect(error.details).toMatchObject({ actual: 1024 ** 3, limit: limits.maxEntryUncompressedBytes });
  });

  it('refuses a compression ratio beyond the limit even when the size is allowed', () => {
    // Arrange: 64 MiB from ~64 kB
    const zip = buildZip([{ name: 'a', deflated: deflatedZeros(1024 * 1024, 64) }]);

    // Act
    const error = rejection(() => openZip(zip, limits));

    // Assert
    expect(error.code).toBe('ZIP_BOMB');
    expect(error.details).toMatchObject({ limit: limits.maxCompressionRatio });
  });

  it('refuses when the declared sizes add up beyond the total limit', () => {
    // Arrange: three entries, each under the entry limit
    const entry = (name: string) => ({
      name,
      data: 'x',
      declaredSize: 400 * 1024 * 1024,
      method: 8 as const,
    });
    const zip = buildZip([entry('a'), entry('b'), entry('c')]);

    // Act
    const error = rejection(() => openZip(zip, resolveLimits({ maxCompressionRatio: 1e12 })));

    // Assert
    expect(error.code).toBe('TOO_LARGE');
    expect(error.details).toMatchObject({ limit: limits.maxUncompressedBytes });
  });

  it('refuses overlapping entries (one compressed stream claimed by many names)', () => {
    // Arrange: a second central record pointing at the first entry's data
    const single = buildZip([
      { name: 'a', data: 'payload' },
      { name: 'b', data: 'payload' },
    ]);
    const central = single.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), 0);
    const second = single.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]), central + 4);
    single.writeUInt32LE(0, second + 42); // b's local header offset := a's

    // Act
    const error = rejection(() => openZip(single, limits));

    // Assert: the local name check or the overlap check, never a read
    expect(['ZIP_BOMB', 'CORRUPT']).toContain(error.code);
  });

  it('refuses more entries than the limit from the end record alone', () => {
    // Arrange: the end record claims 100 000 entries; the directory holds one
    const zip = buildZip([{ name: 'a', data: 'x' }], { zip64: true, declaredEntryCount: 100_000 });

    // Act
    const error = rejection(() => openZip(zip, limits));

    // Assert
    expect(error.code).toBe('TOO_MANY_ENTRIES');
  });

  it('refuses more entries than the limit when the end record understates them', () => {
    // Arrange
    const entries = Array.from({ length: 50 }, (_, i) => ({ name: `e${i}`, data: '', method: 0 as const }));
    const zip = buildZip(entries, { declaredEntryCount: 2 });

    // Act
    const error = rejection(() => openZip(zip, resolveLimits({ maxEntries: 10 })));

    // Assert
    expect(error.code).toBe('TOO_MANY_ENTRIES');
  });
});

describe('entryChunks', () => {
  it('stops a lying entry as soon as it passes its declared size', async () => {
    // Arrange: declares 100 kB, holds 1 GiB of zeros in ~1 MB
    const bomb = deflatedZeros(1024 * 1024, 1024);
    const zip = buildZip([{ name: 'a', deflated: bomb, declaredSize: 100_000 }]);
    const archive = openZip(zip, resolveLimits({ maxCompressionRatio: 1e9 }));
    const entry = archive.find('a');
    if (!entry) throw new Error('no entry');
    let produced = 0;

    // Act
    const error = await asyncRejection(async () => {
      for await (const chunk of entryChunks(archive, entry)) produced += chunk.length;
    });

    // Assert: never more than the declared size reached the reader
    expect(error.code).toBe('ZIP_BOMB');
    expect(produced).toBeLessThanOrEqual(100_000);
  });

  it('refuses an entry shorter than declared', async () => {
    const zip = buildZip([{ name: 'a', data: 'short', declaredSize: 50 }]);
    expect((await asyncRejection(() => inflateAll(zip, 'a'))).code).toBe('CORRUPT');
  });

  it('refuses an entry failing its CRC-32', async () => {
    const zip = buildZip([{ name: 'a', data: 'content', declaredCrc: crc32('other') }]);
    expect((await asyncRejection(() => inflateAll(zip, 'a'))).code).toBe('CORRUPT');
  });

  it('refuses data that does not inflate', async () => {
    const garbage = Buffer.from('this is not deflate data at all, no sir');
    const zip = buildZip([{ name: 'a', deflated: { bytes: garbage, size: 100, crc: 0 } }]);
    expect((await asyncRejection(() => inflateAll(zip, 'a'))).code).toBe('CORRUPT');
  });

  it('refuses a truncated deflate stream', async () => {
    const full = deflateRawSync(Buffer.from('x'.repeat(10_000) + 'y'.repeat(10_000)));
    const zip = buildZip([
      { name: 'a', deflated: { bytes: full.subarray(0, full.length - 4), size: 20_000, crc: 0 } },
    ]);
    expect((await asyncRejection(() => inflateAll(zip, 'a'))).code).toBe('CORRUPT');
  });

  it('refuses unsupported compression methods when read', async () => {
    const zip = buildZip([{ name: 'a', data: 'x', method: 0 }]);
    zip.writeUInt16LE(12, zip.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02])) + 10); // bzip2
    const archive = openZip(zip, limits);
    const entry = archive.find('a');
    if (!entry) throw new Error('no entry');
    expect((await asyncRejection(() => readEntry(archive, entry, 100))).code).toBe('CORRUPT');
  });
});
