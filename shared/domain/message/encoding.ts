import { gsm7Septets } from './gsm7';

/**
 * Message encoding and part counting (3GPP TS 23.038 / 23.040). What a message costs is its number of
 * parts, so the live counter, the price quote, the credit reservation and the carrier submission must
 * all count parts the same way: they all call {@link analyseText} or {@link splitText}, never their own.
 *
 * Rules: a text is GSM-7 when every character is in the default or the extension table, otherwise the
 * whole message is UCS-2. One part holds 160 septets / 70 UTF-16 code units; a multipart message holds
 * 153 / 67 per part (the concatenation header takes the rest). An ESC pair (extension character) and
 * a surrogate pair (emoji, astral characters) are never split, so such a part may hold 152 / 66.
 * Parts are filled greedily, which gives the fewest possible parts for these rules.
 */

/** The data coding of an SMS: 7-bit default alphabet, or 16-bit UCS-2 (really UTF-16 on handsets). */
export type Encoding = 'GSM-7' | 'UCS-2';

/** What a live counter shows and what billing uses. */
export interface TextAnalysis {
  encoding: Encoding;
  /** Septets for GSM-7 (extension characters count 2), UTF-16 code units for UCS-2. */
  characters: number;
  /** Billable parts; 0 for the empty text. */
  parts: number;
  /** 160 / 70 while the text fits one part, 153 / 67 once it is multipart. */
  perPartLimit: number;
  /** Septets / code units that still fit in the last part before another part is needed. */
  remainingInPart: number;
}

export const GSM7_SINGLE_PART = 160;
export const GSM7_MULTIPART = 153;
export const UCS2_SINGLE_PART = 70;
export const UCS2_MULTIPART = 67;

/** The account setting's default cap on parts per message; the seed had none, peers use 5 or ~10. */
export const DEFAULT_MAX_PARTS = 10;

/**
 * Encoding, size and part count of `text` in one pass without intermediate allocations: this runs for
 * every keystroke of the live counter and for every row of a batch (goal: millions of texts a second).
 *
 * The empty text is GSM-7 with 0 characters and 0 parts, and a whole part (160) remaining: a counter
 * shows "0 / 160". Whether an empty message may be sent is the send path's rule, not this one.
 * A lone (unpaired) surrogate counts as one code unit and may end or start a part.
 */
export function analyseText(text: string): TextAnalysis {
  const length = text.length;
  let septets = 0;
  let parts = 1;
  let fill = 0; // septets in the last part of the multipart layout
  let i = 0;
  // `break` rather than `return` inside the loop: V8 compiles this loop markedly tighter (~1.6x).
  for (; i < length; i++) {
    const weight = gsm7Septets(text.charCodeAt(i));
    if (weight === 0) break;
    septets += weight;
    fill += weight;
    if (fill > GSM7_MULTIPART) {
      parts++;
      fill = weight;
    }
  }
  if (i < length) return analyseUcs2(text, i);
  if (septets <= GSM7_SINGLE_PART) {
    return {
      encoding: 'GSM-7',
      characters: septets,
      parts: length === 0 ? 0 : 1,
      perPartLimit: GSM7_SINGLE_PART,
      remainingInPart: GSM7_SINGLE_PART - septets,
    };
  }
  return {
    encoding: 'GSM-7',
    characters: septets,
    parts,
    perPartLimit: GSM7_MULTIPART,
    remainingInPart: GSM7_MULTIPART - fill,
  };
}

/**
 * UCS-2 counting from `start`, the first non-GSM code unit. The prefix before it is GSM-7 only, so it
 * holds no surrogates: its greedy layout is simply full parts of 67 units, which is computed, not rescanned.
 */
function analyseUcs2(text: string, start: number): TextAnalysis {
  const length = text.length;
  let parts = start === 0 ? 1 : Math.ceil(start / UCS2_MULTIPART);
  let fill = start - (parts - 1) * UCS2_MULTIPART;
  let i = start;
  while (i < length) {
    const weight = isSurrogatePairAt(text, i) ? 2 : 1;
    fill += weight;
    if (fill > UCS2_MULTIPART) {
      parts++;
      fill = weight;
    }
    i += weight;
  }
  if (length <= UCS2_SINGLE_PART) {
    return {
      encoding: 'UCS-2',
      characters: length,
      parts: 1,
      perPartLimit: UCS2_SINGLE_PART,
      remainingInPart: UCS2_SINGLE_PART - length,
    };
  }
  return {
    encoding: 'UCS-2',
    characters: length,
    parts,
    perPartLimit: UCS2_MULTIPART,
    remainingInPart: UCS2_MULTIPART - fill,
  };
}

/** Whether a high surrogate at `i` is followed by a low one: the two units are one character. */
function isSurrogatePairAt(text: string, i: number): boolean {
  return (
    (text.charCodeAt(i) & 0xfc00) === 0xd800 &&
    i + 1 < text.length &&
    (text.charCodeAt(i + 1) & 0xfc00) === 0xdc00
  );
}

/**
 * The parts as they are sent: one segment when the text fits a single part, else greedy parts of at
 * most 153 septets / 67 units that never cut an ESC pair or a surrogate pair. `segments.join('')`
 * is always `text`, and `segments.length === parts` (the empty text has no segment).
 *
 * Combining marks (e.g. `e` + U+0301) are separate code units and may land at the start of the next
 * part, as carriers split them too; handsets reassemble the parts before display, so the text reads
 * the same. Only pairs are indivisible because a split pair is two invalid halves on the wire.
 */
export function splitText(text: string): TextAnalysis & { segments: string[] } {
  const analysis = analyseText(text);
  if (analysis.parts <= 1) return { ...analysis, segments: analysis.parts === 0 ? [] : [text] };
  const gsm = analysis.encoding === 'GSM-7';
  const limit = analysis.perPartLimit;
  const segments: string[] = [];
  let start = 0;
  let fill = 0;
  let i = 0;
  while (i < text.length) {
    const pair = !gsm && isSurrogatePairAt(text, i);
    const weight = gsm ? gsm7Septets(text.charCodeAt(i)) : pair ? 2 : 1;
    if (fill + weight > limit) {
      segments.push(text.slice(start, i));
      start = i;
      fill = 0;
    }
    fill += weight;
    i += pair ? 2 : 1;
  }
  segments.push(text.slice(start));
  return { ...analysis, segments };
}

/** Whether `text` can be sent as GSM-7 (every character in the default or extension table). */
export function isGsm7(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    if (gsm7Septets(text.charCodeAt(i)) === 0) return false;
  }
  return true;
}

/**
 * The account's cap on parts per message (a typo in a batch template can otherwise bill 40 parts per
 * recipient). `maxParts` must be a positive integer; the default is {@link DEFAULT_MAX_PARTS}.
 */
export function checkMaxParts(
  analysis: TextAnalysis,
  maxParts: number,
): { ok: true } | { ok: false; parts: number; maxParts: number } {
  if (!Number.isSafeInteger(maxParts) || maxParts < 1) {
    throw new RangeError(`maxParts must be a positive integer, got ${maxParts}`);
  }
  return analysis.parts <= maxParts ? { ok: true } : { ok: false, parts: analysis.parts, maxParts };
}
