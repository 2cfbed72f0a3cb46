import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  cleanOptOutKeywords,
  DEFAULT_OPT_OUT_KEYWORDS,
  isOptOut,
  normaliseKeyword,
} from '#domain/inbound/opt-out';
import { canReceiveReplies, replyAddress } from '#domain/inbound/reply-address';

describe('opt-out keywords', () => {
  it.each(['STOP', 'stop', ' Stop. ', 'STOP!', 'Dezabonare', 'dezabonare', 'NU', 'nu', 'Nu!', '  nu  '])(
    '%j is an opt-out with the defaults',
    (text) => {
      expect(isOptOut(text, undefined)).toBe(true);
    },
  );

  it.each(['Nu pot ajunge mâine', 'STOP sending me this', 'stopped', 'Da', '', '   ', 'nu-mi mai trimiteti'])(
    '%j is a reply, not an opt-out',
    (text) => {
      expect(isOptOut(text, undefined)).toBe(false);
    },
  );

  it('ignores diacritics, comma-below and cedilla alike', () => {
    const keywords = ['RENUNȚ'];
    expect(isOptOut('renunt', keywords)).toBe(true);
    expect(isOptOut('Renunţ', keywords)).toBe(true);
    expect(isOptOut('RENUNȚ.', keywords)).toBe(true);
    expect(normaliseKeyword('Dezabonare, vă rog!')).toBe('DEZABONARE, VA ROG');
  });

  it("an account's own keywords replace the defaults; an empty list falls back to them", () => {
    expect(isOptOut('STOP', ['PAUZA'])).toBe(false);
    expect(isOptOut('pauză', ['PAUZA'])).toBe(true);
    expect(isOptOut('STOP', [])).toBe(true);
  });

  it('a keyword with any case, diacritics and trailing punctuation still matches itself (property)', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...DEFAULT_OPT_OUT_KEYWORDS),
        fc.array(fc.boolean(), { minLength: 12, maxLength: 12 }),
        fc.constantFrom('', '.', '!', ' ', '?!', ' . '),
        (keyword, upper, tail) => {
          const varied = [...keyword].map((c, i) => (upper[i % upper.length] ? c : c.toLowerCase())).join('');
          return isOptOut(`  ${varied}${tail}`, undefined);
        },
      ),
    );
  });

  it('cleans a submitted list: normalised, de-duplicated, bounded', () => {
    expect(cleanOptOutKeywords(['stop', 'STOP', ' Pauză ', ''])).toEqual({
      ok: true,
      keywords: ['STOP', 'PAUZA'],
    });
    expect(cleanOptOutKeywords(['', ' . '])).toMatchObject({ ok: false });
    expect(cleanOptOutKeywords(Array.from({ length: 21 }, (_, i) => `K${i}`))).toMatchObject({ ok: false });
    expect(cleanOptOutKeywords(['x'.repeat(31)])).toMatchObject({ ok: false });
  });
});

describe('reply addresses', () => {
  it('only numeric senders can receive replies', () => {
    expect(canReceiveReplies('1898')).toBe(true);
    expect(canReceiveReplies('40744000000')).toBe(true);
    expect(canReceiveReplies('+40744000000')).toBe(true);
    expect(canReceiveReplies('DemoShop')).toBe(false);
    expect(canReceiveReplies('Shop24')).toBe(false);
    expect(canReceiveReplies('12')).toBe(false);
  });

  it('compares our numbers without + or 00', () => {
    expect(replyAddress('+40744000000')).toBe('40744000000');
    expect(replyAddress('0040744000000')).toBe('40744000000');
    expect(replyAddress('40744000000')).toBe('40744000000');
    expect(replyAddress(' 1898 ')).toBe('1898');
    expect(replyAddress('DemoShop')).toBeUndefined();
  });
});
