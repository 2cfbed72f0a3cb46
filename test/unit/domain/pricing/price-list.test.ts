import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InvalidPriceList, makePriceIndex, type PriceList, quote } from '#domain/pricing/price-list';

const LIST: PriceList = {
  id: 'test',
  currency: 'EUR',
  entries: [
    { prefix: '40', pricePerPart: 450, country: 'RO' },
    { prefix: '4072', pricePerPart: 400, country: 'RO', network: 'Vodafone' },
    { prefix: '40722', pricePerPart: 380, country: 'RO', network: 'Vodafone (old range)' },
    { prefix: '1', pricePerPart: 100, country: 'US' },
    { prefix: '1242', pricePerPart: 1200, country: 'BS' },
  ],
};

describe('quote', () => {
  it.each([
    // Longest prefix wins: 40722… matches '40', '4072' and '40722' → 380 per part; 3 × 380 = 1140.
    ['40722123456', 3, '40722', 380, 1140],
    ['+40722123456', 3, '40722', 380, 1140],
    // 40723… matches '40' and '4072' → 400; 2 × 400 = 800.
    ['40723123456', 2, '4072', 400, 800],
    // 40744… matches only '40' → 450; 1 × 450 = 450.
    ['40744123456', 1, '40', 450, 450],
    // NANP: 1242… is the Bahamas, not the US; 10 × 1200 = 12000.
    ['12425551234', 10, '1242', 1200, 12000],
    ['12125551234', 1, '1', 100, 100],
    // 0 parts cost nothing (the price is still quoted).
    ['40744123456', 0, '40', 450, 0],
  ])('%s × %i parts → prefix %s at %i, cost %i', (e164, parts, prefix, pricePerPart, cost) => {
    expect(quote(LIST, e164, parts)).toMatchObject({ ok: true, prefix, pricePerPart, cost, currency: 'EUR' });
  });

  it('carries the network and country of the matched entry for reports', () => {
    expect(quote(LIST, '40722123456', 1)).toEqual({
      ok: true,
      pricePerPart: 380,
      cost: 380,
      prefix: '40722',
      currency: 'EUR',
      network: 'Vodafone (old range)',
      country: 'RO',
    });
  });

  it.each(['447700900123', '', '+', '0722123456', '40 722 123 456', '4072212345678901', 'abc'])(
    'answers NOT_ROUTABLE for %j',
    (e164) => {
      expect(quote(LIST, e164, 1)).toEqual({ ok: false, reason: 'NOT_ROUTABLE' });
    },
  );

  it.each([-1, 1.5, Number.NaN])('throws on %s parts', (parts) => {
    expect(() => quote(LIST, '40722123456', parts)).toThrow(RangeError);
  });

  it('throws when the cost would not be a safe integer', () => {
    const list: PriceList = { id: 'x', currency: 'EUR', entries: [{ prefix: '40', pricePerPart: 2 ** 52 }] };
    expect(() => quote(list, '40722123456', 4)).toThrow(RangeError);
  });

  it('always costs parts × pricePerPart as an integer, matching a brute-force longest prefix', () => {
    fc.assert(
      fc.property(
        fc.stringMatching(/^[1-9][0-9]{6,14}$/),
        fc.integer({ min: 0, max: 1000 }),
        (digits, parts) => {
          const result = quote(LIST, digits, parts);
          const matching = LIST.entries.filter((entry) => digits.startsWith(entry.prefix));
          const best = matching.sort((a, b) => b.prefix.length - a.prefix.length)[0];
          if (best) {
            expect(result).toMatchObject({ ok: true, prefix: best.prefix, cost: parts * best.pricePerPart });
            expect(result.ok && Number.isSafeInteger(result.cost)).toBe(true);
          } else {
            expect(result).toEqual({ ok: false, reason: 'NOT_ROUTABLE' });
          }
        },
      ),
      { numRuns: 1000 },
    );
  });
});

describe('makePriceIndex', () => {
  it('looks up the entry with the longest prefix', () => {
    const index = makePriceIndex(LIST);
    expect(index.lookup('40722000000')?.prefix).toBe('40722');
    expect(index.lookup('49170000000')).toBeUndefined();
  });

  it.each([
    ['a prefix with a leading 0', [{ prefix: '040', pricePerPart: 1 }]],
    ['a prefix with a +', [{ prefix: '+40', pricePerPart: 1 }]],
    ['an empty prefix', [{ prefix: '', pricePerPart: 1 }]],
    ['a fractional price', [{ prefix: '40', pricePerPart: 0.045 }]],
    ['a negative price', [{ prefix: '40', pricePerPart: -1 }]],
    [
      'a duplicate prefix',
      [
        { prefix: '40', pricePerPart: 1 },
        { prefix: '40', pricePerPart: 2 },
      ],
    ],
  ])('rejects %s', (_name, entries) => {
    expect(() => makePriceIndex({ id: 'bad', currency: 'EUR', entries })).toThrow(InvalidPriceList);
  });
});
