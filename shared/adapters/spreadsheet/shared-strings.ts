/**
 * The shared strings table (`xl/sharedStrings.xml`): Excel stores each distinct text once and cells
 * refer to it by index, so it must be in memory before the first row is read.
 *
 * Held compactly: the texts' UTF-8 bytes are copied into pools of 1 MiB, each decoded once into one
 * string when full, and each index is three integers in typed arrays (pool, start, length): not a
 * million JS strings, and no per-text decoding or garbage. Texts with escapes (entities, `_xHHHH_`,
 * CDATA, rich text runs) are decoded first and their UTF-8 written to the pool. ASCII texts and the
 * others go to separate pools, because V8 stores a string with a single character above U+00FF
 * (a Romanian `ș`) at two bytes per character: phone numbers typed as text stay at one byte each.
 * A lookup slices its pool (cheap; a slice of 13 characters or more shares the pool's memory).
 */
import { isUtf8 } from 'node:buffer';
import { reject } from './errors';
import type { SpreadsheetLimits } from './limits';
import { decodeOoxmlEscapes } from './xml-text';
import { CLOSE, END, NEED_MORE, OPEN, RPH, SI, SST, T, TEXT, XmlTokenizer } from './xml-tokenizer';

const POOL_BYTES = 1 << 20;
const TEXT_OPENS = [Buffer.from('<t>'), Buffer.from('<t xml:space="preserve">')];
const TEXT_CLOSE = Buffer.from('</t></si>');
const NON_LATIN1 = /[^\t-\u00ff]/; // control characters below TAB are Latin-1 too, but never in text

/**
 * The pool being filled: its bytes, and the length in UTF-16 units of what they decode to. One builder
 * per kind is reused from pool to pool, so loading allocates no buffer per pool.
 */
class PoolBuilder {
  bytes: Buffer;
  used = 0;
  units = 0;
  constructor(
    public pool: number,
    readonly wide: boolean,
  ) {
    this.bytes = Buffer.allocUnsafe(POOL_BYTES);
  }
}

export class SharedStrings {
  private readonly pools: string[] = [];
  private poolOf: Uint32Array;
  private startOf: Uint32Array;
  private lengthOf: Uint32Array;
  private size = 0;
  private narrow: PoolBuilder;
  private wide: PoolBuilder;

  constructor(expected: number) {
    const capacity = Math.max(16, expected);
    this.poolOf = new Uint32Array(capacity);
    this.startOf = new Uint32Array(capacity);
    this.lengthOf = new Uint32Array(capacity);
    this.narrow = new PoolBuilder(this.newPool(), false);
    this.wide = new PoolBuilder(this.newPool(), true);
  }

  get count(): number {
    return this.size;
  }

  /** The string at `index`, or undefined when there is no such index. */
  get(index: number): string | undefined {
    if (index >= this.size) return undefined;
    const start = this.startOf[index] as number;
    return this.pools[this.poolOf[index] as number]?.slice(start, start + (this.lengthOf[index] as number));
  }

  /**
   * Append a text given as its UTF-8 bytes `buf[start, end)`, which decode to `units` UTF-16 units
   * (`ascii`: all bytes below 0x80, so units = bytes).
   */
  addBytes(buf: Buffer, start: number, end: number, units: number, ascii: boolean): void {
    const builder = this.builderFor(!ascii, end - start);
    const { bytes } = builder;
    let at = builder.used;
    if (end - start > 64) buf.copy(bytes, at, start, end);
    else for (let i = start; i < end; i++) bytes[at++] = buf[i] as number;
    this.record(builder, end - start, units);
  }

  /** Append a decoded text. */
  addString(text: string): void {
    const wide = NON_LATIN1.test(text);
    const builder = this.builderFor(wide, wide ? Buffer.byteLength(text, 'utf8') : text.length);
    const written = builder.bytes.write(text, builder.used, wide ? 'utf8' : 'latin1');
    this.record(builder, written, text.length);
  }

  /** Decode what is still pending; call once after the last text. */
  seal(): void {
    this.sealBuilder(this.narrow);
    this.sealBuilder(this.wide);
    this.narrow.bytes = Buffer.alloc(0); // the scratch buffers are not needed any more
    this.wide.bytes = Buffer.alloc(0);
  }

  private builderFor(wide: boolean, length: number): PoolBuilder {
    if (this.size === this.poolOf.length) this.grow();
    const builder = wide ? this.wide : this.narrow;
    if (builder.used + length <= builder.bytes.length) return builder;
    this.sealBuilder(builder);
    builder.pool = this.newPool();
    builder.used = 0;
    builder.units = 0;
    if (length > builder.bytes.length) builder.bytes = Buffer.allocUnsafe(length);
    return builder;
  }

  private record(builder: PoolBuilder, bytes: number, units: number): void {
    this.poolOf[this.size] = builder.pool;
    this.startOf[this.size] = builder.units;
    this.lengthOf[this.size] = units;
    this.size++;
    builder.used += bytes;
    builder.units += units;
  }

  private sealBuilder(builder: PoolBuilder): void {
    const bytes = builder.bytes.subarray(0, builder.used);
    if (builder.wide && !isUtf8(bytes)) {
      reject('CORRUPT', 'The workbook is damaged: xl/sharedStrings.xml is not valid UTF-8.');
    }
    const text = builder.wide ? bytes.toString('utf8') : bytes.toString('latin1');
    if (text.length !== builder.units)
      reject('CORRUPT', 'The workbook is damaged: bad text in xl/sharedStrings.xml.');
    this.pools[builder.pool] = text;
  }

  private newPool(): number {
    this.pools.push('');
    return this.pools.length - 1;
  }

  private grow(): void {
    const capacity = this.poolOf.length * 2;
    const grown = (old: Uint32Array) => {
      const next = new Uint32Array(capacity);
      next.set(old);
      return next;
    };
    this.poolOf = grown(this.poolOf);
    this.startOf = grown(this.startOf);
    this.lengthOf = grown(this.lengthOf);
  }
}

/** UTF-16 units that the valid UTF-8 in `buf[start, end)` decodes to. */
function utf16Length(buf: Buffer, start: number, end: number): number {
  let units = 0;
  for (let i = start; i < end; i++) {
    const b = buf[i] as number;
    if ((b & 0xc0) !== 0x80) units += b >= 0xf0 ? 2 : 1;
  }
  return units;
}

/**
 * Read the table from the part's chunks. Text in `<t>` elements of each `<si>` is concatenated (rich
 * text runs `<r><t>…</t></r>` included); phonetic hints (`<rPh>`) are not part of the text.
 * `partBytes` (the part's size) bounds the capacity taken from the declared `uniqueCount`.
 */
export async function loadSharedStrings(
  chunks: AsyncIterable<Buffer>,
  partBytes: number,
  limits: Pick<SpreadsheetLimits, 'maxCellChars'>,
): Promise<SharedStrings> {
  const part = 'xl/sharedStrings.xml';
  const tokens = new XmlTokenizer(part, Math.max(4 * 1024 * 1024, limits.maxCellChars * 12));
  let table: SharedStrings | undefined;
  let inItem = false;
  let inText = false;
  let phonetic = 0;
  let text = '';

  const tooLong = (actual: number) =>
    reject('CELL_TOO_LONG', `A text in the workbook is longer than ${limits.maxCellChars} characters.`, {
      limit: limits.maxCellChars,
      actual,
    });

  const addText = (value: string) => {
    const decoded = decodeOoxmlEscapes(value);
    if (decoded.length > limits.maxCellChars) tooLong(decoded.length);
    table ??= new SharedStrings(1024);
    table.addString(decoded);
  };

  /** `<si><t>…</t></si>` in one piece: straight from the bytes when nothing needs decoding. */
  const addFastItem = () => {
    if (!tokens.textIsVerbatim) return addText(tokens.text());
    const { buf, textStartOffset: start, textEndOffset: end } = tokens;
    const ascii = tokens.textIsPlain;
    const units = ascii ? end - start : utf16Length(buf, start, end);
    if (units > limits.maxCellChars) tooLong(units);
    table ??= new SharedStrings(1024);
    table.addBytes(buf, start, end, units, ascii);
  };

  const drain = () => {
    for (;;) {
      const token = tokens.next();
      if (token === NEED_MORE || token === END) return;
      if (token === OPEN) {
        const name = tokens.name;
        if (name === SI) {
          if (tokens.selfClosing) addText('');
          else if (tokens.textBetween(TEXT_OPENS, TEXT_CLOSE)) addFastItem();
          else inItem = true;
        } else if (name === T) {
          inText = inItem && phonetic === 0 && !tokens.selfClosing;
        } else if (name === RPH) {
          if (!tokens.selfClosing) phonetic++;
        } else if (name === SST && table === undefined) {
          // A hint only: never more than the part could hold (`<si/>` is 5 bytes), nor a huge allocation
          // up front on a file's say-so; the table grows as items actually arrive.
          const declared = Number(tokens.get('uniqueCount') ?? tokens.get('count') ?? 0);
          const possible = Math.ceil(partBytes / 5);
          table = new SharedStrings(
            Number.isSafeInteger(declared) ? Math.min(declared, possible, 1 << 20) : 1024,
          );
        }
      } else if (token === CLOSE) {
        const name = tokens.name;
        if (name === T) inText = false;
        else if (name === RPH) phonetic = Math.max(0, phonetic - 1);
        else if (name === SI && inItem) {
          inItem = false;
          inText = false;
          addText(text);
          text = '';
        }
      } else if (token === TEXT && inText) {
        text += tokens.text();
        // `_xHHHH_` escapes shrink 7 characters to 1; beyond that no decoding brings it under the limit.
        if (text.length > limits.maxCellChars * 7) tooLong(text.length);
      }
    }
  };

  for await (const chunk of chunks) {
    tokens.feed(chunk);
    drain();
  }
  tokens.finish();
  drain();
  if (inItem) reject('CORRUPT', 'The workbook is damaged: xl/sharedStrings.xml ends inside a text.');
  table ??= new SharedStrings(16);
  table.seal();
  return table;
}
