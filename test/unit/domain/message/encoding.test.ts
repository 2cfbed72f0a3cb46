import { describe, expect, it } from 'vitest';
import {
  analyseText,
  checkMaxParts,
  DEFAULT_MAX_PARTS,
  isGsm7,
  splitText,
  type TextAnalysis,
} from '#domain/message/encoding';

const a = (n: number) => 'a'.repeat(n);
const ro = (n: number) => 'ă'.repeat(n); // U+0103: not GSM-7, 1 UTF-16 unit
const EMOJI = '😀'; // U+1F600: a surrogate pair, 2 UTF-16 units

interface Case {
  name: string;
  text: string;
  expected: TextAnalysis;
  /** Length in UTF-16 code units of each segment splitText must produce. */
  segments: number[];
}

const gsm = (characters: number, parts: number, perPartLimit: number, remainingInPart: number) =>
  ({ encoding: 'GSM-7', characters, parts, perPartLimit, remainingInPart }) as const;
const ucs = (characters: number, parts: number, perPartLimit: number, remainingInPart: number) =>
  ({ encoding: 'UCS-2', characters, parts, perPartLimit, remainingInPart }) as const;

// Every expected value is worked out by hand from 3GPP TS 23.038/23.040: a single part holds 160 septets
// (GSM-7) or 70 units (UCS-2); multipart parts hold 153 / 67; an ESC pair (2 septets) or a surrogate
// pair (2 units) is never split, so the part it would straddle closes at 152 / 66.
const CASES: Case[] = [
  // Empty: nothing to send; the counter shows 0 of 160.
  { name: 'empty', text: '', expected: gsm(0, 0, 160, 160), segments: [] },
  { name: '1 × a', text: 'a', expected: gsm(1, 1, 160, 159), segments: [1] },
  // 160 ≤ 160 → 1 part, 160 − 160 = 0 left.
  { name: '160 × a', text: a(160), expected: gsm(160, 1, 160, 0), segments: [160] },
  // 161 > 160 → multipart: 153 + 8; 153 − 8 = 145 left.
  { name: '161 × a', text: a(161), expected: gsm(161, 2, 153, 145), segments: [153, 8] },
  // 306 = 153 + 153 → 2 parts, 0 left.
  { name: '306 × a', text: a(306), expected: gsm(306, 2, 153, 0), segments: [153, 153] },
  // 307 = 153 + 153 + 1 → 3 parts, 152 left.
  { name: '307 × a', text: a(307), expected: gsm(307, 3, 153, 152), segments: [153, 153, 1] },
  // 80 × 2 = 160 septets ≤ 160 → 1 part.
  { name: '80 × €', text: '€'.repeat(80), expected: gsm(160, 1, 160, 0), segments: [80] },
  // 81 × 2 = 162 > 160 → multipart; a part takes floor(153 / 2) = 76 € (152 septets):
  // 81 = 76 + 5 → 2 parts; last part 5 × 2 = 10 septets, 153 − 10 = 143 left.
  { name: '81 × €', text: '€'.repeat(81), expected: gsm(162, 2, 153, 143), segments: [76, 5] },
  // 153 × 2 = 306 septets: not 2 parts but 76 + 76 + 1 → 3 parts; last 2 septets, 151 left.
  { name: '153 × ]', text: ']'.repeat(153), expected: gsm(306, 3, 153, 151), segments: [76, 76, 1] },
  // 152 + 2 = 154 ≤ 160 → still one part, 6 left.
  { name: '152 a + ]', text: `${a(152)}]`, expected: gsm(154, 1, 160, 6), segments: [153] },
  // 152 + 2 + 7 = 161 > 160: part 1 = 152 a (152 + 2 = 154 > 153, so ']' moves on), part 2 = ']' + 7 a
  // = 9 septets → 2 parts, 153 − 9 = 144 left.
  { name: '152 a + ] + 7 a', text: `${a(152)}]${a(7)}`, expected: gsm(161, 2, 153, 144), segments: [152, 8] },
  // 151 + 2 + 8 = 161: part 1 = 151 a + ']' = 153 exactly, part 2 = 8 a → 145 left.
  { name: '151 a + ] + 8 a', text: `${a(151)}]${a(8)}`, expected: gsm(161, 2, 153, 145), segments: [152, 8] },
  // 152 + 2 + 7 with '€': same arithmetic as ']'.
  { name: '152 a + € + 7 a', text: `${a(152)}€${a(7)}`, expected: gsm(161, 2, 153, 144), segments: [152, 8] },
  // 159 + 2 = 161: part 1 = 153 a, part 2 = 6 a + € = 8 septets → 145 left.
  { name: '159 a + €', text: `${a(159)}€`, expected: gsm(161, 2, 153, 145), segments: [153, 7] },
  // Form feed is an extension character: 2 septets.
  { name: 'form feed', text: 'a\fb', expected: gsm(4, 1, 160, 156), segments: [3] },
  // CR and LF are 1 septet each (default table 0x0D, 0x0A): 158 + 2 = 160 → 1 part.
  { name: '158 a + CRLF', text: `${a(158)}\r\n`, expected: gsm(160, 1, 160, 0), segments: [160] },
  { name: '159 a + CRLF', text: `${a(159)}\r\n`, expected: gsm(161, 2, 153, 145), segments: [153, 8] },
  // Greek capitals in the default table: 10 septets.
  { name: 'Greek capitals', text: 'ΔΦΓΛΩΠΨΣΘΞ', expected: gsm(10, 1, 160, 150), segments: [10] },
  // 70 ≤ 70 → 1 part, 0 left.
  { name: '70 × ă', text: ro(70), expected: ucs(70, 1, 70, 0), segments: [70] },
  // 71 > 70 → 67 + 4 → 2 parts, 67 − 4 = 63 left.
  { name: '71 × ă', text: ro(71), expected: ucs(71, 2, 67, 63), segments: [67, 4] },
  // 134 = 67 + 67 → 2 parts, 0 left.
  { name: '134 × ă', text: ro(134), expected: ucs(134, 2, 67, 0), segments: [67, 67] },
  // 135 = 67 + 67 + 1 → 3 parts, 66 left.
  { name: '135 × ă', text: ro(135), expected: ucs(135, 3, 67, 66), segments: [67, 67, 1] },
  // 66 + 2 = 68 ≤ 70 → one part, 2 left.
  { name: '66 ă + 😀', text: ro(66) + EMOJI, expected: ucs(68, 1, 70, 2), segments: [68] },
  // 66 + 2 + 3 = 71 > 70: part 1 = 66 ă (66 + 2 = 68 > 67, so the pair moves on), part 2 = 😀 + 3 ă
  // = 5 units → 2 parts, 62 left.
  {
    name: '66 ă + 😀 + 3 ă',
    text: `${ro(66)}${EMOJI}${ro(3)}`,
    expected: ucs(71, 2, 67, 62),
    segments: [66, 5],
  },
  // 65 + 2 + 4 = 71: part 1 = 65 ă + 😀 = 67 exactly, part 2 = 4 → 63 left.
  {
    name: '65 ă + 😀 + 4 ă',
    text: `${ro(65)}${EMOJI}${ro(4)}`,
    expected: ucs(71, 2, 67, 63),
    segments: [67, 4],
  },
  // 35 × 2 = 70 units → 1 part.
  { name: '35 × 😀', text: EMOJI.repeat(35), expected: ucs(70, 1, 70, 0), segments: [70] },
  // 36 × 2 = 72 > 70; a part takes floor(67 / 2) = 33 emoji (66 units): 36 = 33 + 3 → 2 parts,
  // last 6 units, 61 left.
  { name: '36 × 😀', text: EMOJI.repeat(36), expected: ucs(72, 2, 67, 61), segments: [66, 6] },
  // Both Romanian s forms are outside GSM-7: 1 unit each, 69 left.
  { name: 'ș comma below', text: 'ș', expected: ucs(1, 1, 70, 69), segments: [1] },
  { name: 'ş cedilla', text: 'ş', expected: ucs(1, 1, 70, 69), segments: [1] },
  // One Cyrillic letter makes the whole message UCS-2: 100 + 1 = 101 units = 67 + 34 → 67 − 34 = 33 left.
  { name: '100 a + Ж', text: `${a(100)}Ж`, expected: ucs(101, 2, 67, 33), segments: [67, 34] },
  // GSM characters before the first UCS-2 one count 1 unit each, extension ones too (never 2):
  // '€' + 'ă' = 2 units.
  { name: '€ + ă', text: '€ă', expected: ucs(2, 1, 70, 68), segments: [2] },
  // 67 a + 4 ă = 71: part 1 = 67 a, part 2 = 4 ă → 63 left.
  { name: '67 a + 4 ă', text: a(67) + ro(4), expected: ucs(71, 2, 67, 63), segments: [67, 4] },
  // 68 a + 3 ă = 71: part 1 = 67 a, part 2 = a + 3 ă = 4 → 63 left.
  { name: '68 a + 3 ă', text: a(68) + ro(3), expected: ucs(71, 2, 67, 63), segments: [67, 4] },
  // 66 a + 😀 + 3 a = 71: the pair cannot follow 66 a in part 1 (68 > 67) → [66, 5], 62 left.
  {
    name: '66 a + 😀 + 3 a',
    text: `${a(66)}${EMOJI}${a(3)}`,
    expected: ucs(71, 2, 67, 62),
    segments: [66, 5],
  },
  // 134 a + ă = 135 = 67 + 67 + 1 → 3 parts, 66 left.
  { name: '134 a + ă', text: a(134) + ro(1), expected: ucs(135, 3, 67, 66), segments: [67, 67, 1] },
  // e + U+0301 (combining acute) → UCS-2, 2 units; the precomposed é (U+00E9) is GSM-7, 1 septet.
  { name: 'e + combining acute', text: 'e\u0301', expected: ucs(2, 1, 70, 68), segments: [2] },
  { name: 'precomposed é', text: 'é', expected: gsm(1, 1, 160, 159), segments: [1] },
  // The backtick and the small ç are not GSM-7 (0x60 is ¿; only Ç is in the table).
  { name: 'backtick', text: '`', expected: ucs(1, 1, 70, 69), segments: [1] },
  { name: 'small ç', text: 'ç', expected: ucs(1, 1, 70, 69), segments: [1] },
  // A lone high surrogate is malformed: 1 unit, and it is not paired with the next unit.
  // 70 ă + lone + a = 72 units: [67, 5] (nothing to keep together), 62 left.
  { name: 'lone surrogate', text: `${ro(70)}\ud83da`, expected: ucs(72, 2, 67, 62), segments: [67, 5] },
];

describe('analyseText', () => {
  it.each(CASES)('$name', ({ text, expected }) => {
    // Act
    const analysis = analyseText(text);
    // Assert
    expect(analysis).toEqual(expected);
  });
});

describe('splitText', () => {
  it.each(CASES)('$name', ({ text, expected, segments }) => {
    // Act
    const split = splitText(text);
    // Assert
    expect(split.segments.map((segment) => segment.length)).toEqual(segments);
    expect(split.segments.join('')).toBe(text);
    expect({ ...split, segments: undefined }).toEqual({ ...expected, segments: undefined });
  });

  it('puts an extension character that would straddle the 153 boundary at the start of the next part', () => {
    // Arrange: 152 a + ']' + 7 a = 161 septets (see the table above)
    const text = `${a(152)}]${a(7)}`;
    // Act
    const { segments } = splitText(text);
    // Assert
    expect(segments).toEqual([a(152), `]${a(7)}`]);
  });

  it('never separates the two halves of an emoji', () => {
    // Arrange: 66 ă + 😀 + 3 ă = 71 units
    const text = `${ro(66)}${EMOJI}${ro(3)}`;
    // Act
    const { segments } = splitText(text);
    // Assert
    expect(segments).toEqual([ro(66), `${EMOJI}${ro(3)}`]);
  });
});

describe('isGsm7', () => {
  it.each([
    ['', true],
    ['Hello, World! @£$¥ 100%', true],
    ['{[~^|\\]}€\f', true],
    ['Comanda ta a fost livrată', false],
    ['Привет', false],
    [`${a(500)}😀`, false],
  ])('isGsm7(%j) is %s', (text, expected) => {
    expect(isGsm7(text)).toBe(expected);
  });
});

describe('checkMaxParts', () => {
  it('accepts up to the cap and reports parts and cap beyond it', () => {
    // Arrange: 10 parts = 1530 septets; 1531 → 11 parts
    const ten = analyseText(a(1530));
    const eleven = analyseText(a(1531));
    // Act / Assert
    expect(DEFAULT_MAX_PARTS).toBe(10);
    expect(checkMaxParts(ten, DEFAULT_MAX_PARTS)).toEqual({ ok: true });
    expect(checkMaxParts(eleven, DEFAULT_MAX_PARTS)).toEqual({ ok: false, parts: 11, maxParts: 10 });
    expect(checkMaxParts(analyseText(''), 1)).toEqual({ ok: true });
  });

  it.each([0, -1, 1.5, Number.NaN])('rejects a cap of %s as a programming error', (cap) => {
    expect(() => checkMaxParts(analyseText('a'), cap)).toThrow(RangeError);
  });
});
