import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseText, isGsm7, splitText } from '#domain/message/encoding';

// Reference model, written from SMS-FACTS.md's listing and independent of the module's tables and loops.
const REFERENCE_BASIC = new Set(
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?' +
    '¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà',
);
const REFERENCE_EXTENSION = new Set('\f^{}\\[~]|€');

const referenceIsGsm7 = (text: string) =>
  [...text].every((char) => REFERENCE_BASIC.has(char) || REFERENCE_EXTENSION.has(char));

/** Indivisible pieces with their weights: characters (septets) for GSM-7, code points (units) for UCS-2. */
function atoms(text: string): { text: string; weight: number }[] {
  const gsm = referenceIsGsm7(text);
  // Array.from splits by code point; a lone surrogate comes out as its own one-unit string.
  return Array.from(text, (char) => ({
    text: char,
    weight: gsm ? (REFERENCE_EXTENSION.has(char) ? 2 : 1) : char.length,
  }));
}

/** The fewest parts possible, by dynamic programming over every cut (not greedy, unlike the module). */
function minimumParts(text: string): number {
  const pieces = atoms(text);
  const total = pieces.reduce((sum, piece) => sum + piece.weight, 0);
  if (total === 0) return 0;
  const gsm = referenceIsGsm7(text);
  if (total <= (gsm ? 160 : 70)) return 1;
  const limit = gsm ? 153 : 67;
  const best = [0];
  for (let end = 1; end <= pieces.length; end++) {
    let weight = 0;
    let min = Number.POSITIVE_INFINITY;
    for (let start = end - 1; start >= 0; start--) {
      weight += pieces[start]?.weight ?? 0;
      if (weight > limit) break;
      min = Math.min(min, (best[start] ?? Number.POSITIVE_INFINITY) + 1);
    }
    best.push(min);
  }
  return best[pieces.length] ?? Number.NaN;
}

const weightOf = (segment: string, gsm: boolean) =>
  gsm ? atoms(segment).reduce((sum, piece) => sum + piece.weight, 0) : segment.length;

const isHigh = (unit: number) => unit >= 0xd800 && unit <= 0xdbff;
const isLow = (unit: number) => unit >= 0xdc00 && unit <= 0xdfff;

// Generators: many GSM-7 characters so that long GSM-7 texts occur, plus the troublemakers.
const gsmBasic = fc.constantFrom(...REFERENCE_BASIC);
const gsmExtension = fc.constantFrom(...REFERENCE_EXTENSION);
const romanian = fc.constantFrom(...'ăâîșțşţĂÂÎȘȚŞŢ');
const emoji = fc.constantFrom('😀', '🎉', '👍🏽', '❤️', '🇷🇴', '𝐀');
const anyUnicode = fc.string({ unit: 'binary', minLength: 1, maxLength: 1 });
const loneSurrogate = fc.integer({ min: 0xd800, max: 0xdfff }).map((unit) => String.fromCharCode(unit));

// `size: 'max'` spreads lengths over the whole range; fast-check's default keeps strings short.
const gsmText = fc.oneof(
  fc.string({
    unit: fc.oneof({ arbitrary: gsmBasic, weight: 5 }, { arbitrary: gsmExtension, weight: 1 }),
    maxLength: 800,
    size: 'max',
  }),
  fc.string({ unit: fc.oneof(gsmBasic, gsmExtension), maxLength: 800, size: 'max' }),
  fc.string({ unit: gsmExtension, maxLength: 400, size: 'max' }),
);
const wellFormedText = fc.string({
  unit: fc.oneof(
    { arbitrary: gsmBasic, weight: 8 },
    { arbitrary: gsmExtension, weight: 2 },
    { arbitrary: romanian, weight: 2 },
    { arbitrary: emoji, weight: 2 },
    { arbitrary: anyUnicode, weight: 1 },
  ),
  maxLength: 500,
  size: 'max',
});
/**
 * Texts whose size sits near a part boundary: a filler repeated about k × 33, 67, 70, 76, 153 or 160
 * times (where pairs and single units change the layout), with a few mixed characters spliced in.
 */
const nearBoundary = fc
  .record({
    filler: fc.constantFrom('a', 'ă', '€', ']', '😀'),
    unit: fc.constantFrom(33, 66, 67, 70, 76, 80, 152, 153, 160),
    times: fc.integer({ min: 1, max: 4 }),
    delta: fc.integer({ min: -3, max: 3 }),
    insert: fc.string({ unit: fc.oneof(gsmBasic, gsmExtension, romanian, emoji), maxLength: 3 }),
    at: fc.nat(),
  })
  .map(({ filler, unit, times, delta, insert, at }) => {
    const count = Math.max(0, unit * times + delta);
    const base = filler.repeat(count);
    const cut = (at % (count + 1)) * filler.length;
    return base.slice(0, cut) + insert + base.slice(cut);
  });
const anyText = fc.oneof(
  gsmText,
  wellFormedText,
  nearBoundary,
  nearBoundary,
  fc.string({ unit: fc.oneof(gsmBasic, emoji, loneSurrogate), maxLength: 300, size: 'max' }),
  fc.string({ unit: 'binary', maxLength: 300, size: 'max' }),
);

const RUNS = { numRuns: 2000 };

describe('splitText / analyseText properties', () => {
  it('joins back to the original text', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(splitText(text).segments.join('')).toBe(text);
      }),
      RUNS,
    );
  });

  it('agrees with analyseText, and has exactly `parts` segments', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { segments, ...analysis } = splitText(text);
        expect(analysis).toEqual(analyseText(text));
        expect(segments).toHaveLength(analysis.parts);
      }),
      RUNS,
    );
  });

  it('uses the fewest parts possible (checked against an exhaustive reference)', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(analyseText(text).parts).toBe(minimumParts(text));
      }),
      { numRuns: 1000 },
    );
  });

  it('keeps every segment within its limit and reports size and room consistently', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { segments, encoding, characters, parts, perPartLimit, remainingInPart } = splitText(text);
        const gsm = encoding === 'GSM-7';
        const weights = segments.map((segment) => weightOf(segment, gsm));
        const single = gsm ? 160 : 70;
        const multi = gsm ? 153 : 67;
        expect(gsm).toBe(referenceIsGsm7(text));
        expect(characters).toBe(weights.reduce((sum, weight) => sum + weight, 0));
        expect(perPartLimit).toBe(parts > 1 ? multi : single);
        for (const weight of weights) expect(weight).toBeLessThanOrEqual(perPartLimit);
        expect(remainingInPart).toBe(perPartLimit - (weights.at(-1) ?? 0));
        expect(remainingInPart).toBeGreaterThanOrEqual(0);
      }),
      RUNS,
    );
  });

  it('never cuts a surrogate pair', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const { segments } = splitText(text);
        for (let i = 1; i < segments.length; i++) {
          const before = segments[i - 1] ?? '';
          const after = segments[i] ?? '';
          expect(isHigh(before.charCodeAt(before.length - 1)) && isLow(after.charCodeAt(0))).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('in well-formed text, no segment starts with a low surrogate or ends with a high one', () => {
    fc.assert(
      fc.property(wellFormedText, (text) => {
        for (const segment of splitText(text).segments) {
          expect(isLow(segment.charCodeAt(0))).toBe(false);
          expect(isHigh(segment.charCodeAt(segment.length - 1))).toBe(false);
        }
      }),
      RUNS,
    );
  });

  it('isGsm7 agrees with the reference tables', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        expect(isGsm7(text)).toBe(referenceIsGsm7(text));
      }),
      RUNS,
    );
  });

  it('never gives fewer parts when text is appended', () => {
    fc.assert(
      fc.property(anyText, anyText, (head, tail) => {
        const joined = analyseText(head + tail).parts;
        expect(joined).toBeGreaterThanOrEqual(analyseText(head).parts);
      }),
      RUNS,
    );
  });
});
