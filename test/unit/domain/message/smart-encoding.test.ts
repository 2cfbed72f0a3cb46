import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyseText, isGsm7 } from '#domain/message/encoding';
import { gsm7Septets } from '#domain/message/gsm7';
import { smartEncode, transliterationOf } from '#domain/message/smart-encoding';

const ROMANIAN = 'ăâîșțşţĂÂÎȘȚŞŢ';
// The look-alike punctuation the feature promises to handle (one character each, none of them GSM-7).
const PUNCTUATION =
  '‘’‚‛“”„‟«»‹›‐‑‒–—―−…•\u00a0\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a' +
  '\u202f\u205f\u3000\u200b\ufeff';
const GSM =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCXYZÄÖÑÜ§¿abcxyzäöñüà€[]{}|^~\\';

describe('smartEncode examples', () => {
  it('turns a 160-character Romanian text from 3 parts into 1', () => {
    // Arrange: 'ț' + 159 a = 160 UTF-16 units → UCS-2, 160 > 70 → 67 + 67 + 26 = 3 parts;
    // after: 't' + 159 a = 160 septets ≤ 160 → 1 part; 3 − 1 = 2 saved.
    const text = `ț${'a'.repeat(159)}`;
    // Act
    const result = smartEncode(text);
    // Assert
    expect(result).toEqual({
      text: `t${'a'.repeat(159)}`,
      changed: true,
      replacements: [{ from: 'ț', to: 't', count: 1 }],
      partsBefore: 3,
      partsAfter: 1,
      partsSaved: 2,
      encodingBefore: 'UCS-2',
      encodingAfter: 'GSM-7',
    });
  });

  it('lists replacements in order of first occurrence with their counts', () => {
    // Act
    const result = smartEncode('țară și ță');
    // Assert
    expect(result.text).toBe('tara si ta');
    expect(result.replacements).toEqual([
      { from: 'ț', to: 't', count: 2 },
      { from: 'ă', to: 'a', count: 2 },
      { from: 'ș', to: 's', count: 1 },
    ]);
  });

  it.each([
    ['every Romanian diacritic, both s/t forms', ROMANIAN, 'aaiststAAISTST'],
    ['curly quotes', '„Reducere” ‘azi’ «mare» ‹mic› ‚x‛ ‟y”', '"Reducere" \'azi\' "mare" \'mic\' \'x\' "y"'],
    ['dashes and minus', 'a‐b‑c‒d–e—f―g−h', 'a-b-c-d-e-f-g-h'],
    ['ellipsis', 'Stai…', 'Stai...'],
    ['odd spaces', 'a\u00a0b\u2009c\u202fd\u3000e\u205ff\u2000g\u200ah\ti', 'a b c d e f g h i'],
    ['zero-width characters', 'a\u200bb\ufeffc\u00add', 'abcd'],
    ['bullet', '• Lapte', '- Lapte'],
    ['other Latin letters outside GSM-7', 'á ç Č ł ő ű ž Ý œ', 'a c C l o u z Y oe'],
    ['decomposed Romanian (s + U+0326, a + U+0306)', 's\u0326a\u0306', 'sa'],
    ['decomposed é is composed, not stripped', 'e\u0301ț', 'ét'],
    ['a combining mark with no precomposed form is dropped', 'x\u0301ț', 'xt'],
  ])('%s', (_name, input, expected) => {
    // Act
    const result = smartEncode(input);
    // Assert
    expect(result.text).toBe(expected);
    expect(result.encodingAfter).toBe('GSM-7');
    expect(result.changed).toBe(true);
  });

  it('leaves GSM-7 text alone, including its accented letters', () => {
    // Arrange
    const text = 'Café à la Ñoño, Ärger über Øre: 5€ {ok} [ok]';
    // Act
    const result = smartEncode(text);
    // Assert
    expect(result).toEqual({
      text,
      changed: false,
      replacements: [],
      partsBefore: 1,
      partsAfter: 1,
      partsSaved: 0,
      encodingBefore: 'GSM-7',
      encodingAfter: 'GSM-7',
    });
  });

  it('still transliterates when the text stays UCS-2, and reports no saving', () => {
    // Arrange: 'Mulțumim 😀' = 8 + 1 + 1 + 2 = 12 units → 1 part; after: 'Multumim 😀' still UCS-2, 1 part.
    // Act
    const result = smartEncode('Mulțumim 😀');
    // Assert
    expect(result).toMatchObject({
      text: 'Multumim 😀',
      changed: true,
      partsBefore: 1,
      partsAfter: 1,
      partsSaved: 0,
      encodingBefore: 'UCS-2',
      encodingAfter: 'UCS-2',
    });
  });

  it('returns the original when transliterating would cost more parts', () => {
    // Arrange: 70 × '…' = 70 units → 1 UCS-2 part; as '...' it would be 210 septets → 2 parts.
    const text = '…'.repeat(70);
    // Act
    const result = smartEncode(text);
    // Assert
    expect(result).toMatchObject({ text, changed: false, replacements: [], partsBefore: 1, partsAfter: 1 });
  });

  it('applies the ellipsis when it fits: 53 × … = 159 septets, 1 part', () => {
    expect(smartEncode('…'.repeat(53))).toMatchObject({ text: '...'.repeat(53), partsAfter: 1 });
  });

  it('handles the empty text', () => {
    expect(smartEncode('')).toMatchObject({ text: '', changed: false, partsBefore: 0, partsAfter: 0 });
  });
});

describe('transliteration table', () => {
  it('only replaces characters outside GSM-7, and only with default-table GSM-7 characters', () => {
    // Arrange
    const problems: string[] = [];
    // Act
    for (let unit = 0; unit < 0x10000; unit++) {
      const to = transliterationOf(unit);
      if (to === undefined) continue;
      if (gsm7Septets(unit) !== 0) problems.push(`GSM-7 character ${unit.toString(16)} replaced`);
      for (const char of to) {
        if (gsm7Septets(char.charCodeAt(0)) !== 1)
          problems.push(`${unit.toString(16)} → non-default ${char}`);
      }
    }
    // Assert
    expect(problems).toEqual([]);
  });

  it('covers every Romanian diacritic and every listed punctuation mark', () => {
    for (const char of ROMANIAN + PUNCTUATION) expect(transliterationOf(char.charCodeAt(0))).toBeDefined();
  });
});

/** What smartEncode would produce if it never reverted: NFC, then the table, character by character. */
function naive(text: string): string {
  return Array.from(text.normalize('NFC'), (char) => transliterationOf(char.charCodeAt(0)) ?? char).join('');
}

/** GSM-7, Romanian and the listed punctuation; `expanding` adds characters replaced by two or three. */
const romanianText = (expanding: boolean) =>
  fc.string({
    unit: fc.oneof(
      { arbitrary: fc.constantFrom(...GSM), weight: 6 },
      { arbitrary: fc.constantFrom(...ROMANIAN), weight: 2 },
      { arbitrary: fc.constantFrom(...PUNCTUATION.replace('…', '')), weight: 1 },
      { arbitrary: fc.constantFrom(...(expanding ? '…œŒ' : 'ă')), weight: 1 },
    ),
    maxLength: 700,
    size: 'max',
  });
const anyText = fc.oneof(
  romanianText(false),
  romanianText(true),
  fc.string({
    unit: fc.constantFrom(...GSM, ...ROMANIAN, '…', '😀', 'Ж', '\u0301', '\u200b'),
    maxLength: 400,
    size: 'max',
  }),
  fc.string({ unit: 'binary', maxLength: 300, size: 'max' }),
);
const RUNS = { numRuns: 1500 };

describe('smartEncode properties', () => {
  it('never increases the part count, and reports parts and encodings truthfully', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = smartEncode(text);
        const before = analyseText(text);
        const after = analyseText(result.text);
        expect(result.partsAfter).toBeLessThanOrEqual(result.partsBefore);
        expect(result.partsBefore).toBe(before.parts);
        expect(result.partsAfter).toBe(after.parts);
        expect(result.partsSaved).toBe(before.parts - after.parts);
        expect(result.encodingBefore).toBe(before.encoding);
        expect(result.encodingAfter).toBe(after.encoding);
        expect(result.changed).toBe(result.text !== text);
      }),
      RUNS,
    );
  });

  it('makes GSM-7 out of GSM-7 + Romanian + the listed punctuation (without expanding characters)', () => {
    fc.assert(
      fc.property(romanianText(false), (text) => {
        expect(smartEncode(text).encodingAfter).toBe('GSM-7');
      }),
      RUNS,
    );
  });

  it('with expanding replacements (… → ..., œ → oe): GSM-7, or unchanged because GSM-7 costs more', () => {
    fc.assert(
      fc.property(romanianText(true), (text) => {
        const result = smartEncode(text);
        if (result.encodingAfter === 'GSM-7') return;
        expect(result.text).toBe(text);
        expect(analyseText(naive(text)).parts).toBeGreaterThan(analyseText(text).parts);
      }),
      RUNS,
    );
  });

  it('returns either the naive transliteration or the original, and is idempotent', () => {
    fc.assert(
      fc.property(anyText, (text) => {
        const result = smartEncode(text);
        if (isGsm7(text)) expect(result.text).toBe(text);
        else expect([naive(text), text]).toContain(result.text);
        expect(smartEncode(result.text).text).toBe(result.text);
      }),
      RUNS,
    );
  });
});
