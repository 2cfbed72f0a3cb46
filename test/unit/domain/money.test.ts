import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { formatMoney, InvalidAmount, parseMoney } from '#domain/money';

describe('formatMoney', () => {
  it.each([
    [0, '0.0000'],
    [450, '0.0450'],
    [1, '0.0001'],
    [10_000, '1.0000'],
    [125_000, '12.5000'],
    [-12_345, '-1.2345'],
    [-1, '-0.0001'],
    [Number.MAX_SAFE_INTEGER, '900719925474.0991'],
  ])('%i units → %s', (units, text) => {
    expect(formatMoney(units)).toBe(text);
  });

  it.each([0.5, Number.NaN, Number.POSITIVE_INFINITY, 2 ** 53])('throws InvalidAmount for %s', (units) => {
    expect(() => formatMoney(units)).toThrow(InvalidAmount);
  });
});

describe('parseMoney', () => {
  it.each([
    ['12.5', 125_000], // 12 × 10000 + 5000
    ['0.0450', 450],
    ['0.045', 450],
    ['1', 10_000],
    ['-1.2345', -12_345],
    ['007.10', 71_000],
    ['-0', 0],
    ['900719925474.0991', Number.MAX_SAFE_INTEGER],
    [12.5, 125_000],
    [0.045, 450], // prints as "0.045"
    [-3, -30_000],
    [-0, 0],
  ])('%j → %i units', (input, units) => {
    expect(Object.is(parseMoney(input), units)).toBe(true);
  });

  it.each([
    '0.12345', // 5 decimals
    '1e3',
    '1E3',
    '',
    ' 1',
    '1 ',
    '+1',
    '.5',
    '5.',
    '1,5',
    '1_000',
    'NaN',
    'Infinity',
    '0x10',
    '900719925474.0992', // one unit beyond the largest safe integer
    0.1 + 0.2, // 0.30000000000000004
    0.00001,
    1e-7,
    1e21,
    Number.NaN,
    Number.POSITIVE_INFINITY,
  ])('rejects %j', (input) => {
    expect(() => parseMoney(input)).toThrow(InvalidAmount);
  });

  it('round-trips every safe integer through formatMoney', () => {
    fc.assert(
      fc.property(
        fc.maxSafeInteger().filter((units) => units >= -Number.MAX_SAFE_INTEGER),
        (units) => {
          expect(parseMoney(formatMoney(units))).toBe(units);
        },
      ),
      { numRuns: 2000 },
    );
  });

  it('agrees with exact integer arithmetic on generated decimal strings', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 90_071_992_547n }),
        fc.stringMatching(/^[0-9]{1,4}$/),
        fc.boolean(),
        (whole, fraction, negative) => {
          const text = `${negative ? '-' : ''}${whole}.${fraction}`;
          const expected = whole * 10_000n + BigInt(fraction.padEnd(4, '0'));
          expect(parseMoney(text)).toBe(Number(negative ? -expected : expected) || 0);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
