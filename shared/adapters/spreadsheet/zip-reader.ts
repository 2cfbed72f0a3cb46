/**
 * A zip reader for uploaded workbooks, written to refuse hostile files before they cost anything.
 *
 * The whole zip is in memory (it is bounded by `maxCompressedBytes`), so the central directory is read
 * first and every entry is checked before a single byte is inflated: entry count, names (`..`, absolute
 * paths), encryption flags, declared sizes against the limits, the compression ratio, and that entries'
 * data ranges lie inside the file and do not overlap (overlapping entries are how a 42 kB zip claims
 * terabytes). Entries are then inflated as a stream, counting the bytes actually produced: an entry
 * whose size field lies is cut off as soon as it passes its declared size, so no declared size ever
 * lets more through. Sizes and CRC-32 are verified at the end of each entry. ZIP64 is understood.
 * Nothing is ever written to disk.
 */
import { crc32, createInflateRaw } from 'node:zlib';
import { reject, SpreadsheetRejected } from './errors';
import type { SpreadsheetLimits } from './limits';

export interface ZipEntry {
  /** The name as stored (UTF-8 when flagged, otherwise read as Latin-1). */
  readonly name: string;
  readonly method: number;
  readonly crc32: number;
  readonly compressedSize: number;
  readonly uncompressedSize: number;
  /** Where the compressed data starts (after the local header). */
  readonly dataOffset: number;
}

export interface ZipArchive {
  readonly entries: readonly ZipEntry[];
  /** Entry by name, ignoring case (OPC part names are case-insensitive). */
  find(name: string): ZipEntry | undefined;
  readonly data: Uint8Array;
}

const EOCD = 0x06054b50;
const ZIP64_LOCATOR = 0x07064b50;
const ZIP64_EOCD = 0x06064b50;
const CENTRAL = 0x02014b50;
const LOCAL = 0x04034b50;
const FLAG_ENCRYPTED = 0x0001;
const FLAG_STRONG_ENCRYPTION = 0x0040;
const FLAG_UTF8 = 0x0800;
const METHOD_STORED = 0;
const METHOD_DEFLATE = 8;
const METHOD_AES = 99;
const CHUNK_BYTES = 128 * 1024;

type ZipLimits = Pick<
  SpreadsheetLimits,
  | 'maxCompressedBytes'
  | 'maxUncompressedBytes'
  | 'maxEntryUncompressedBytes'
  | 'maxEntries'
  | 'maxCompressionRatio'
  | 'ratioCheckMinBytes'
>;

function corrupt(message: string, details?: Record<string, unknown>): never {
  return reject('CORRUPT', `The workbook is damaged: ${message}.`, details);
}

/** Read and check the central directory of `data`; throws {@link SpreadsheetRejected} on any problem. */
export function openZip(data: Uint8Array, limits: ZipLimits): ZipArchive {
  if (data.length > limits.maxCompressedBytes) {
    reject('TOO_LARGE', `The file is larger than ${limits.maxCompressedBytes} bytes.`, {
      limit: limits.maxCompressedBytes,
      actual: data.length,
    });
  }
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const end = findEndOfCentralDirectory(view);
  if (end.entryCount > limits.maxEntries) tooManyEntries(limits, end.entryCount);

  const entries: ZipEntry[] = [];
  const byName = new Map<string, ZipEntry>();
  const spans: [number, number][] = [];
  let totalUncompressed = 0;
  let p = end.directoryOffset;
  const directoryEnd = end.directoryOffset + end.directorySize;
  while (p < directoryEnd) {
    if (entries.length === limits.maxEntries) tooManyEntries(limits, entries.length + 1);
    if (p + 46 > directoryEnd || view.getUint32(p, true) !== CENTRAL) corrupt('bad central directory');
    const flags = view.getUint16(p + 8, true);
    const method = view.getUint16(p + 10, true);
    const nameLength = view.getUint16(p + 28, true);
    const extraLength = view.getUint16(p + 30, true);
    const commentLength = view.getUint16(p + 32, true);
    const next = p + 46 + nameLength + extraLength + commentLength;
    if (next > directoryEnd) corrupt('bad central directory');
    const nameBytes = data.subarray(p + 46, p + 46 + nameLength);
    const name = Buffer.from(nameBytes.buffer, nameBytes.byteOffset, nameLength).toString(
      flags & FLAG_UTF8 ? 'utf8' : 'latin1',
    );
    checkEntryName(name);
    if (flags & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION) || method === METHOD_AES) encrypted(name);

    let uncompressedSize = view.getUint32(p + 24, true);
    let compressedSize = view.getUint32(p + 20, true);
    let localOffset = view.getUint32(p + 42, true);
    if (uncompressedSize === 0xffffffff || compressedSize === 0xffffffff || localOffset === 0xffffffff) {
      const zip64 = readZip64Extra(view, p + 46 + nameLength, extraLength, {
        uncompressedSize,
        compressedSize,
        localOffset,
      });
      ({ uncompressedSize, compressedSize, localOffset } = zip64);
    }
    checkDeclaredSizes(name, uncompressedSize, compressedSize, limits);
    totalUncompressed += uncompressedSize;
    if (totalUncompressed > limits.maxUncompressedBytes) {
      reject('TOO_LARGE', `The workbook would inflate to more than ${limits.maxUncompressedBytes} bytes.`, {
        limit: limits.maxUncompressedBytes,
      });
    }
    if (method === METHOD_STORED && compressedSize !== uncompressedSize)
      corrupt('bad stored entry', { name });

    const dataOffset = readLocalHeader(view, localOffset, nameBytes, end.directoryOffset);
    if (dataOffset + compressedSize > end.directoryOffset) corrupt('an entry runs past its end', { name });
    spans.push([localOffset, dataOffset + compressedSize]);
    const entry: ZipEntry = {
      name,
      method,
      crc32: view.getUint32(p + 16, true),
      compressedSize,
      uncompressedSize,
      dataOffset,
    };
    const key = name.toLowerCase();
    if (byName.has(key)) corrupt('two entries have the same name', { name });
    byName.set(key, entry);
    entries.push(entry);
    p = next;
  }
  // Writers without ZIP64 store the count modulo 65536; the directory's size is what bounds it.
  if (entries.length % 0x10000 !== end.entryCount % 0x10000) {
    corrupt('the central directory does not match its end record');
  }
  checkNoOverlap(spans);
  return { entries, data, find: (name) => byName.get(name.toLowerCase()) };
}

interface EndRecord {
  entryCount: number;
  directoryOffset: number;
  directorySize: number;
}

function findEndOfCentralDirectory(view: DataView): EndRecord {
  const lowest = Math.max(0, view.byteLength - 22 - 0xffff);
  for (let p = view.byteLength - 22; p >= lowest; p--) {
    if (view.getUint32(p, true) !== EOCD) continue;
    if (view.getUint16(p + 4, true) !== 0 || view.getUint16(p + 6, true) !== 0) {
      corrupt('split (multi-disk) archives are not supported');
    }
    let entryCount = view.getUint16(p + 10, true);
    let directorySize = view.getUint32(p + 12, true);
    let directoryOffset = view.getUint32(p + 16, true);
    if (entryCount === 0xffff || directorySize === 0xffffffff || directoryOffset === 0xffffffff) {
      ({ entryCount, directorySize, directoryOffset } = readZip64End(view, p));
    }
    if (directoryOffset + directorySize > p) continue; // a signature inside the comment, or junk
    if (entryCount === 0) reject('NOT_A_SPREADSHEET', 'The file is an empty zip archive, not a workbook.');
    return { entryCount, directoryOffset, directorySize };
  }
  return corrupt('no zip end-of-central-directory record (truncated?)');
}

function readZip64End(view: DataView, eocd: number): EndRecord {
  const locator = eocd - 20;
  if (locator < 0 || view.getUint32(locator, true) !== ZIP64_LOCATOR) {
    // Not ZIP64 after all: 65 535 entries, or a writer that stores the count modulo 65 536.
    return {
      entryCount: view.getUint16(eocd + 10, true),
      directorySize: view.getUint32(eocd + 12, true),
      directoryOffset: view.getUint32(eocd + 16, true),
    };
  }
  const record = safeNumber(view.getBigUint64(locator + 8, true), view.byteLength);
  if (record + 56 > locator || view.getUint32(record, true) !== ZIP64_EOCD) corrupt('bad ZIP64 end record');
  return {
    entryCount: safeNumber(view.getBigUint64(record + 32, true), Number.MAX_SAFE_INTEGER),
    directorySize: safeNumber(view.getBigUint64(record + 40, true), view.byteLength),
    directoryOffset: safeNumber(view.getBigUint64(record + 48, true), view.byteLength),
  };
}

function readZip64Extra(
  view: DataView,
  start: number,
  length: number,
  sizes: { uncompressedSize: number; compressedSize: number; localOffset: number },
): { uncompressedSize: number; compressedSize: number; localOffset: number } {
  const result = { ...sizes };
  for (let p = start; p + 4 <= start + length; ) {
    const id = view.getUint16(p, true);
    const size = view.getUint16(p + 2, true);
    let q = p + 4;
    const blockEnd = q + size;
    if (blockEnd > start + length) break;
    if (id === 0x0001) {
      const read = () => {
        if (q + 8 > blockEnd) corrupt('bad ZIP64 extra field');
        const value = view.getBigUint64(q, true);
        q += 8;
        // Sizes beyond 2^53 are refused by the limits anyway; clamp so the limit check reports them.
        return value > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(value);
      };
      if (sizes.uncompressedSize === 0xffffffff) result.uncompressedSize = read();
      if (sizes.compressedSize === 0xffffffff) result.compressedSize = read();
      if (sizes.localOffset === 0xffffffff) result.localOffset = read();
      return result;
    }
    p = blockEnd;
  }
  return corrupt('missing ZIP64 extra field');
}

function safeNumber(value: bigint, max: number): number {
  if (value > BigInt(max)) corrupt('bad ZIP64 end record');
  return Number(value);
}

/** Names that would escape a target directory if anyone ever extracted the zip. */
function checkEntryName(name: string): void {
  if (name.length === 0) corrupt('an entry has no name');
  const unsafe =
    name.includes('\0') ||
    name.includes('\\') ||
    name.startsWith('/') ||
    /^[a-z]:/i.test(name) ||
    name.split('/').includes('..');
  if (unsafe) {
    reject(
      'UNSAFE_ENTRY_NAME',
      `The workbook contains an entry with an unsafe name: ${JSON.stringify(name)}.`,
      {
        entry: name,
      },
    );
  }
}

/** A ratio no spreadsheet reaches is a bomb; a size beyond the limits with a sane ratio is just too big. */
function checkDeclaredSizes(name: string, uncompressed: number, compressed: number, limits: ZipLimits): void {
  const ratio = uncompressed / Math.max(compressed, 1);
  if (uncompressed > limits.ratioCheckMinBytes && ratio > limits.maxCompressionRatio) {
    reject('ZIP_BOMB', `Entry ${name} claims to be compressed ${Math.round(ratio)}:1.`, {
      entry: name,
      limit: limits.maxCompressionRatio,
      actual: Math.round(ratio),
    });
  }
  if (uncompressed > limits.maxEntryUncompressedBytes) {
    reject('TOO_LARGE', `Entry ${name} would inflate to ${uncompressed} bytes.`, {
      entry: name,
      limit: limits.maxEntryUncompressedBytes,
      actual: uncompressed,
    });
  }
}

function readLocalHeader(view: DataView, offset: number, centralName: Uint8Array, limit: number): number {
  if (offset + 30 > limit || view.getUint32(offset, true) !== LOCAL) corrupt('bad local header');
  if (view.getUint16(offset + 6, true) & (FLAG_ENCRYPTED | FLAG_STRONG_ENCRYPTION)) encrypted('');
  const nameLength = view.getUint16(offset + 26, true);
  const extraLength = view.getUint16(offset + 28, true);
  const dataOffset = offset + 30 + nameLength + extraLength;
  if (dataOffset > limit || nameLength !== centralName.length) corrupt('bad local header');
  for (let i = 0; i < nameLength; i++) {
    if (view.getUint8(offset + 30 + i) !== centralName[i]) corrupt('local and central names differ');
  }
  return dataOffset;
}

function checkNoOverlap(spans: [number, number][]): void {
  spans.sort((a, b) => a[0] - b[0]);
  for (let i = 1; i < spans.length; i++) {
    if ((spans[i]?.[0] ?? 0) < (spans[i - 1]?.[1] ?? 0)) {
      reject('ZIP_BOMB', 'The workbook has overlapping zip entries.');
    }
  }
}

function tooManyEntries(limits: ZipLimits, actual: number): never {
  return reject('TOO_MANY_ENTRIES', `The workbook has more than ${limits.maxEntries} entries.`, {
    limit: limits.maxEntries,
    actual,
  });
}

function encrypted(name: string): never {
  return reject('ENCRYPTED', 'The workbook is password-protected; save it without a password.', {
    ...(name === '' ? {} : { entry: name }),
  });
}

/**
 * The entry's bytes, inflated as a stream in chunks of ~128 KiB. Stops with ZIP_BOMB the moment the
 * output passes the entry's declared size (itself within the limits), and with CORRUPT when the data is
 * short, fails to inflate, or fails its CRC-32. Chunks are only valid until the next one is requested.
 */
export async function* entryChunks(archive: ZipArchive, entry: ZipEntry): AsyncGenerator<Buffer> {
  const { data } = archive;
  const compressed = Buffer.from(data.buffer, data.byteOffset + entry.dataOffset, entry.compressedSize);
  let produced = 0;
  let crc = 0;
  if (entry.method === METHOD_STORED) {
    for (let offset = 0; offset < compressed.length; offset += CHUNK_BYTES) {
      const chunk = compressed.subarray(offset, offset + CHUNK_BYTES);
      produced += chunk.length;
      crc = crc32(chunk, crc);
      yield chunk;
    }
  } else if (entry.method === METHOD_DEFLATE) {
    const inflater = createInflateRaw({ chunkSize: CHUNK_BYTES });
    inflater.end(compressed);
    try {
      for await (const chunk of inflater as AsyncIterable<Buffer>) {
        produced += chunk.length;
        if (produced > entry.uncompressedSize) {
          reject('ZIP_BOMB', `Entry ${entry.name} inflates to more than its declared size.`, {
            entry: entry.name,
            declared: entry.uncompressedSize,
          });
        }
        crc = crc32(chunk, crc);
        yield chunk;
      }
    } catch (error) {
      if (error instanceof SpreadsheetRejected) throw error;
      if (isZlibError(error)) corrupt(`entry ${entry.name} does not inflate`, { entry: entry.name });
      throw error;
    } finally {
      inflater.destroy();
    }
  } else {
    corrupt(`entry ${entry.name} uses compression method ${entry.method}`, { entry: entry.name });
  }
  if (produced !== entry.uncompressedSize) corrupt(`entry ${entry.name} is shorter than declared`);
  if (crc >>> 0 !== entry.crc32) corrupt(`entry ${entry.name} fails its checksum`, { entry: entry.name });
}

/** A whole (small) entry in one buffer, within `maxBytes`. */
export async function readEntry(archive: ZipArchive, entry: ZipEntry, maxBytes: number): Promise<Buffer> {
  if (entry.uncompressedSize > maxBytes) {
    reject('TOO_LARGE', `Entry ${entry.name} is larger than ${maxBytes} bytes.`, {
      entry: entry.name,
      limit: maxBytes,
      actual: entry.uncompressedSize,
    });
  }
  const chunks: Buffer[] = [];
  for await (const chunk of entryChunks(archive, entry)) chunks.push(chunk);
  return Buffer.concat(chunks, entry.uncompressedSize);
}

function isZlibError(error: unknown): boolean {
  const code = error instanceof Error ? (error as Error & { code?: unknown }).code : undefined;
  return typeof code === 'string' && (code.startsWith('Z_') || code === 'ERR_BUFFER_TOO_LARGE');
}
