/**
 * A pull tokenizer over the bytes of an XML part, fed chunk by chunk as they come out of the inflater.
 *
 * Why bytes and not text: every byte that matters to the markup (`<`, `>`, quotes, `=`, names) is ASCII,
 * and UTF-8 never uses ASCII bytes inside a multi-byte character, so markup can be found in raw bytes
 * and text decoded only once a whole token is in hand. A character split across two inflate chunks is
 * therefore never decoded in halves (exceljs 4.4's streaming reader turns those into U+FFFD: exceljs
 * issues #2063, #2084, #2316). Decoding per token also gives each cell a string of its own rather than
 * a slice that keeps a whole decoded chunk alive.
 *
 * A token that is not complete in the bytes fed so far is left for the next `feed`; only it is carried
 * over (bounded by `maxTokenBytes`). What the tokenizer understands: start tags with attributes
 * (names without their namespace prefix), end tags, text, CDATA, comments and processing instructions
 * (skipped). A DOCTYPE is refused: OOXML never has one, and refusing it rules out entity-expansion
 * attacks. It checks what it reads, not full well-formedness (end tags are not matched to start tags).
 */
import { isUtf8 } from 'node:buffer';
import { reject } from './errors';
import { decodeEntities } from './xml-text';

export const NEED_MORE = 0;
export const OPEN = 1;
export const CLOSE = 2;
export const TEXT = 3;
export const END = 4;
/** Internal: a comment was skipped. */
const SKIPPED = -1;

/** Element names the readers care about; any other name is {@link OTHER}. */
export const OTHER = 0;
export const C = 1;
export const V = 2;
export const F = 3;
export const T = 4;
export const R = 5;
export const IS = 6;
export const SI = 7;
export const ROW = 8;
export const RPH = 9;
export const SHEET_DATA = 10;
export const SST = 11;
export const SHEET = 12;
export const WORKBOOK_PR = 13;
export const NUM_FMT = 14;
export const CELL_XFS = 15;
export const XF = 16;
export const RELATIONSHIP = 17;

const LONG_NAMES: ReadonlyArray<readonly [string, number]> = [
  ['sst', SST],
  ['sheet', SHEET],
  ['workbookPr', WORKBOOK_PR],
  ['numFmt', NUM_FMT],
  ['cellXfs', CELL_XFS],
  ['sheetData', SHEET_DATA],
  ['Relationship', RELATIONSHIP],
].map(([name, id]) => [name as string, id as number] as const);

const LT = 0x3c;
const GT = 0x3e;
const SLASH = 0x2f;
const BANG = 0x21;
const QUESTION = 0x3f;
const EQUALS = 0x3d;
const COLON = 0x3a;
const DQUOTE = 0x22;
const SQUOTE = 0x27;
const MAX_ATTRIBUTES = 32;
const EMPTY = Buffer.alloc(0);
const CDATA_OPEN = Buffer.from('<![CDATA[');

/** Flags a text token carries: what `text()` must do beyond a Latin-1 copy. */
const HIGH = 1;
const AMPERSAND = 2;
const CARRIAGE_RETURN = 4;
const RAW = 8;
const UNDERSCORE = 16;
const TEXT_FLAGS = new Uint8Array(256);
TEXT_FLAGS.fill(HIGH, 0x80);
TEXT_FLAGS[0x26] = AMPERSAND;
TEXT_FLAGS[0x0d] = CARRIAGE_RETURN;
TEXT_FLAGS[0x5f] = UNDERSCORE;

/** Whether `buf[at, end)` starts with `literal`. */
function startsWithAt(buf: Buffer, at: number, end: number, literal: Uint8Array): boolean {
  if (at + literal.length > end) return false;
  for (let i = 0; i < literal.length; i++) if (buf[at + i] !== literal[i]) return false;
  return true;
}

/** Bytes that end or break a tag or attribute name; 0 for name characters. */
const NAME_END = 1;
const NAME_COLON = 2;
const NAME_EQUALS = 3;
const NAME_BAD = 4;
const NAME_CLASS = new Uint8Array(256);
for (const b of [0x20, 0x0a, 0x0d, 0x09, GT, SLASH]) NAME_CLASS[b] = NAME_END;
NAME_CLASS[COLON] = NAME_COLON;
NAME_CLASS[EQUALS] = NAME_EQUALS;
for (const b of [LT, DQUOTE, SQUOTE]) NAME_CLASS[b] = NAME_BAD;

/** Node's Buffer has these (they back `toString`), minus the argument checks; typings omit them. */
interface FastBuffer extends Buffer {
  latin1Slice(start: number, end: number): string;
  utf8Slice(start: number, end: number): string;
}

function isSpace(b: number): boolean {
  return b === 0x20 || b === 0x0a || b === 0x0d || b === 0x09;
}

export class XmlTokenizer {
  /** Current element's id ({@link OTHER} when unknown), for OPEN and CLOSE. */
  name = OTHER;
  /** `<x/>`: an OPEN that gets no CLOSE. */
  selfClosing = false;
  /** Attributes of the last OPEN: local name start/end and value start/end, 4 per attribute, in `buf`. */
  readonly attributes = new Int32Array(MAX_ATTRIBUTES * 4);
  attributeCount = 0;
  /** The bytes the positions refer to; valid until the next `feed`. */
  buf: Buffer = EMPTY;

  private pos = 0;
  private end = 0;
  private work: Buffer = EMPTY;
  private final = false;
  private started = false;
  private textStart = 0;
  private textEnd = 0;
  private textFlags = 0;

  constructor(
    private readonly part: string,
    private readonly maxTokenBytes: number,
  ) {}

  /** Add the next chunk; the chunk must not change until it has been tokenized. */
  feed(chunk: Buffer): void {
    const pending = this.end - this.pos;
    if (pending > 0) {
      // The unfinished token and the new chunk, joined in a buffer reused from feed to feed.
      let work = this.work;
      if (work.length < pending + chunk.length) {
        work = Buffer.allocUnsafe(Math.max(2 * (pending + chunk.length), 256 * 1024));
      }
      this.buf.copy(work, 0, this.pos, this.end); // `buf` may be `work` itself: copy handles the overlap
      chunk.copy(work, pending);
      this.work = work;
      this.buf = work;
      this.end = pending + chunk.length;
    } else {
      this.buf = chunk;
      this.end = chunk.length;
    }
    this.pos = 0;
    if (!this.started && this.end > 0) {
      this.started = true;
      this.skipByteOrderMark();
    }
  }

  /** No more chunks: an unfinished token is now an error. */
  finish(): void {
    this.final = true;
  }

  /** The next token: OPEN, CLOSE, TEXT, END (after `finish`), or NEED_MORE. */
  next(): number {
    for (;;) {
      const buf = this.buf;
      const end = this.end;
      const p = this.pos;
      if (p >= end) return this.final ? END : NEED_MORE;
      if (buf[p] !== LT) {
        let i = p;
        let flags = 0;
        while (i < end) {
          const b = buf[i] as number;
          if (b === LT) break;
          flags |= TEXT_FLAGS[b] as number;
          i++;
        }
        if (i === end && !this.final) return this.more(p);
        this.setText(p, i, flags, false);
        this.pos = i;
        return TEXT;
      }
      if (p + 1 >= end) return this.more(p);
      const second = buf[p + 1];
      if (second === SLASH) return this.endTag(p);
      if (second === QUESTION) {
        const close = this.find2(p + 2, QUESTION, GT);
        if (close === -1) return this.more(p);
        this.pos = close + 2;
        continue;
      }
      if (second === BANG) {
        const token = this.markupDeclaration(p);
        if (token !== SKIPPED) return token;
        continue;
      }
      return this.startTag(p);
    }
  }

  /** The text of the last TEXT token, line ends normalised and entities decoded. */
  text(): string {
    const { buf, textStart, textEnd, textFlags } = this;
    if ((textFlags & ~UNDERSCORE) === 0) return (buf as FastBuffer).latin1Slice(textStart, textEnd);
    let text: string;
    if (textFlags & HIGH) {
      text = (buf as FastBuffer).utf8Slice(textStart, textEnd);
      if (text.includes('\uFFFD') && !isUtf8(buf.subarray(textStart, textEnd))) {
        reject('CORRUPT', `The workbook is damaged: ${this.part} is not valid UTF-8.`, { part: this.part });
      }
    } else {
      text = (buf as FastBuffer).latin1Slice(textStart, textEnd);
    }
    if (textFlags & CARRIAGE_RETURN) text = text.replace(/\r\n?/g, '\n');
    return textFlags & AMPERSAND && !(textFlags & RAW) ? decodeEntities(text) : text;
  }

  /**
   * The fast path for the shapes that make up nearly every cell and shared string: one of `opens`, a
   * text without markup, then `close` (`<v>123</v></c>`, `<is><t>ș</t></is></c>`, `<t>ș</t></si>`).
   * When the whole shape is in the buffer, makes its text the current TEXT token, moves past the
   * shape and returns true; otherwise changes nothing and the caller goes on token by token.
   */
  textBetween(opens: readonly Uint8Array[], close: Uint8Array): boolean {
    const { buf, end } = this;
    const p = this.pos;
    for (const open of opens) {
      if (!startsWithAt(buf, p, end, open)) continue;
      let i = p + open.length;
      let flags = 0;
      while (i < end) {
        const b = buf[i] as number;
        if (b === LT) break;
        flags |= TEXT_FLAGS[b] as number;
        i++;
      }
      if (!startsWithAt(buf, i, end, close)) return false;
      this.setText(p + open.length, i, flags, false);
      this.pos = i + close.length;
      return true;
    }
    return false;
  }

  /** True when the last TEXT token's bytes are its text: no entity, CR, underscore or CDATA. */
  get textIsVerbatim(): boolean {
    return (this.textFlags & ~HIGH) === 0;
  }

  /** True when the last TEXT token may hold an OOXML `_xHHHH_` escape. */
  get textHasUnderscore(): boolean {
    return (this.textFlags & UNDERSCORE) !== 0;
  }

  /** Start of the last TEXT token in `buf`; with {@link textEndOffset} for allocation-free parsing. */
  get textStartOffset(): number {
    return this.textStart;
  }

  get textEndOffset(): number {
    return this.textEnd;
  }

  /** True when the last TEXT token is plain ASCII outside CDATA, with no entity or CR. */
  get textIsPlain(): boolean {
    return (this.textFlags & ~UNDERSCORE) === 0;
  }

  /** Index of the attribute with this local name, or -1. */
  attribute(name: string): number {
    const { buf, attributes } = this;
    for (let a = 0; a < this.attributeCount; a++) {
      const start = attributes[a * 4] as number;
      const end = attributes[a * 4 + 1] as number;
      if (end - start !== name.length) continue;
      let same = true;
      for (let i = 0; i < name.length && same; i++) same = buf[start + i] === name.charCodeAt(i);
      if (same) return a;
    }
    return -1;
  }

  /** The value of attribute `a` as a string: whitespace normalised, entities decoded. */
  attributeValue(a: number): string {
    const start = this.attributes[a * 4 + 2] as number;
    const end = this.attributes[a * 4 + 3] as number;
    let value = this.buf.toString('utf8', start, end);
    if (/[\t\n\r]/.test(value)) value = value.replace(/\r\n|[\t\n\r]/g, ' ');
    return decodeEntities(value);
  }

  /** The value of the attribute with this local name, or undefined. */
  get(name: string): string | undefined {
    const a = this.attribute(name);
    return a === -1 ? undefined : this.attributeValue(a);
  }

  private setText(start: number, end: number, flags: number, raw: boolean): void {
    this.textStart = start;
    this.textEnd = end;
    this.textFlags = raw ? flags | RAW : flags;
  }

  private skipByteOrderMark(): void {
    const { buf } = this;
    if (buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf) this.pos = 3;
    else if ((buf[0] === 0xff && buf[1] === 0xfe) || (buf[0] === 0xfe && buf[1] === 0xff)) {
      reject('CORRUPT', `The workbook is damaged: ${this.part} is UTF-16, which is not supported.`, {
        part: this.part,
      });
    }
  }

  private more(p: number): number {
    if (this.final)
      reject('CORRUPT', `The workbook is damaged: ${this.part} ends mid-element.`, { part: this.part });
    if (this.end - p > this.maxTokenBytes) {
      reject('CELL_TOO_LONG', `${this.part} holds an element larger than ${this.maxTokenBytes} bytes.`, {
        part: this.part,
        limit: this.maxTokenBytes,
      });
    }
    this.pos = p;
    return NEED_MORE;
  }

  private bad(what: string): never {
    return reject('CORRUPT', `The workbook is damaged: ${what} in ${this.part}.`, { part: this.part });
  }

  /** Position of the byte pair `a b` at or after `from`, or -1. */
  private find2(from: number, a: number, b: number): number {
    const { buf, end } = this;
    for (let i = from; i + 1 < end; i++) if (buf[i] === a && buf[i + 1] === b) return i;
    return -1;
  }

  private markupDeclaration(p: number): number {
    const { buf, end } = this;
    if (end - p < 4) return this.more(p);
    if (buf[p + 2] === 0x2d && buf[p + 3] === 0x2d) {
      // <!-- comment -->
      for (let i = p + 4; i + 2 < end; i++) {
        if (buf[i] === 0x2d && buf[i + 1] === 0x2d && buf[i + 2] === GT) {
          this.pos = i + 3;
          return SKIPPED;
        }
      }
      return this.more(p);
    }
    const available = Math.min(end - p, CDATA_OPEN.length);
    if (buf.compare(CDATA_OPEN, 0, available, p, p + available) !== 0)
      this.bad('a DOCTYPE or unknown markup');
    if (available < CDATA_OPEN.length) return this.more(p);
    let flags = 0;
    for (let i = p + 9; i + 2 < end; i++) {
      const b = buf[i] as number;
      flags |= TEXT_FLAGS[b] as number;
      if (b === 0x5d && buf[i + 1] === 0x5d && buf[i + 2] === GT) {
        this.setText(p + 9, i, flags, true);
        this.pos = i + 3;
        return TEXT;
      }
    }
    return this.more(p);
  }

  private endTag(p: number): number {
    const { buf, end } = this;
    let i = p + 2;
    let local = i;
    while (i < end) {
      const b = buf[i] as number;
      if (b === GT || isSpace(b)) break;
      if (b === COLON) local = i + 1;
      i++;
    }
    const nameEnd = i;
    while (i < end && isSpace(buf[i] as number)) i++;
    if (i >= end) return this.more(p);
    if (buf[i] !== GT || nameEnd === local) this.bad('a malformed end tag');
    this.name = identify(buf, local, nameEnd);
    this.pos = i + 1;
    return CLOSE;
  }

  private startTag(p: number): number {
    const { buf, end, attributes } = this;
    let i = p + 1;
    let local = i;
    while (i < end) {
      const k = NAME_CLASS[buf[i] as number] as number;
      if (k !== 0) {
        if (k === NAME_END) break;
        if (k === NAME_COLON) local = i + 1;
        else this.bad('a malformed tag');
      }
      i++;
    }
    if (i >= end) return this.more(p);
    const nameEnd = i;
    if (nameEnd === local) this.bad('a tag without a name');
    let count = 0;
    for (;;) {
      while (i < end && isSpace(buf[i] as number)) i++;
      if (i >= end) return this.more(p);
      const b = buf[i];
      if (b === GT) {
        this.selfClosing = false;
        i++;
        break;
      }
      if (b === SLASH) {
        if (i + 1 >= end) return this.more(p);
        if (buf[i + 1] !== GT) this.bad('a malformed tag');
        this.selfClosing = true;
        i += 2;
        break;
      }
      let attributeLocal = i;
      while (i < end) {
        const k = NAME_CLASS[buf[i] as number] as number;
        if (k !== 0) {
          if (k === NAME_END || k === NAME_EQUALS) break;
          if (k === NAME_COLON) attributeLocal = i + 1;
          else this.bad('a malformed attribute');
        }
        i++;
      }
      const attributeEnd = i;
      while (i < end && isSpace(buf[i] as number)) i++;
      if (i >= end) return this.more(p);
      if (buf[i] !== EQUALS || attributeEnd === attributeLocal) this.bad('a malformed attribute');
      i++;
      while (i < end && isSpace(buf[i] as number)) i++;
      if (i >= end) return this.more(p);
      const quote = buf[i];
      if (quote !== DQUOTE && quote !== SQUOTE) this.bad('an unquoted attribute');
      const valueStart = ++i;
      while (i < end && buf[i] !== quote) {
        if (buf[i] === LT) this.bad('a malformed attribute');
        i++;
      }
      if (i >= end) return this.more(p);
      if (count < MAX_ATTRIBUTES) {
        const at = count * 4;
        attributes[at] = attributeLocal;
        attributes[at + 1] = attributeEnd;
        attributes[at + 2] = valueStart;
        attributes[at + 3] = i;
        count++;
      }
      i++;
    }
    this.attributeCount = count;
    this.name = identify(buf, local, nameEnd);
    this.pos = i;
    return OPEN;
  }
}

/** The id of the element name in `buf[start, end)`. Short names first: they are the hot ones. */
function identify(buf: Buffer, start: number, end: number): number {
  const a = buf[start];
  switch (end - start) {
    case 1:
      return a === 0x63 ? C : a === 0x76 ? V : a === 0x66 ? F : a === 0x74 ? T : a === 0x72 ? R : OTHER;
    case 2: {
      const b = buf[start + 1];
      if (a === 0x69 && b === 0x73) return IS;
      if (a === 0x73 && b === 0x69) return SI;
      if (a === 0x78 && b === 0x66) return XF;
      return OTHER;
    }
    case 3:
      if (a === 0x72 && buf[start + 1] === 0x6f && buf[start + 2] === 0x77) return ROW;
      if (a === 0x72 && buf[start + 1] === 0x50 && buf[start + 2] === 0x68) return RPH;
      break;
  }
  for (const [name, id] of LONG_NAMES) {
    if (name.length !== end - start) continue;
    let same = true;
    for (let i = 0; i < name.length && same; i++) same = buf[start + i] === name.charCodeAt(i);
    if (same) return id;
  }
  return OTHER;
}
