import { describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import { makePriceIndex, quote } from '#domain/pricing/price-list';

describe('DEFAULT_PRICE_LIST', () => {
  it('is a valid EUR list with id "default"', () => {
    expect(DEFAULT_PRICE_LIST.id).toBe('default');
    expect(DEFAULT_PRICE_LIST.currency).toBe('EUR');
    expect(() => makePriceIndex(DEFAULT_PRICE_LIST)).not.toThrow();
  });

  it('prices Romania at 0.0450 EUR per part: 3 parts = 1350 units', () => {
    expect(quote(DEFAULT_PRICE_LIST, '+40722123456', 3)).toMatchObject({
      ok: true,
      prefix: '40',
      pricePerPart: 450,
      cost: 1350,
      currency: 'EUR',
    });
  });

  it('prices a few EU countries and does not route the rest of the world', () => {
    for (const number of ['4915112345678', '33612345678', '359881234567', '37369123456']) {
      expect(quote(DEFAULT_PRICE_LIST, number, 1).ok).toBe(true);
    }
    expect(quote(DEFAULT_PRICE_LIST, '8613800138000', 1)).toEqual({ ok: false, reason: 'NOT_ROUTABLE' });
  });

  it('cannot be changed in place', () => {
    expect(Object.isFrozen(DEFAULT_PRICE_LIST)).toBe(true);
    expect(Object.isFrozen(DEFAULT_PRICE_LIST.entries)).toBe(true);
    expect(DEFAULT_PRICE_LIST.entries.every((entry) => Object.isFrozen(entry))).toBe(true);
  });
});
