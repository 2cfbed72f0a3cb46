import type { PriceList } from './price-list';

/**
 * The price list an account gets until the operator assigns its own: EUR, country-level prefixes,
 * integer 1/10000 EUR per part (450 = 0.0450 EUR). Plausible retail prices for a Romanian provider
 * (home market cheapest); the operator replaces them with its carrier-based prices.
 */
export const DEFAULT_PRICE_LIST: PriceList = Object.freeze({
  id: 'default',
  currency: 'EUR',
  entries: Object.freeze(
    [
      { prefix: '40', pricePerPart: 450, country: 'RO' },
      { prefix: '373', pricePerPart: 650, country: 'MD' },
      { prefix: '359', pricePerPart: 600, country: 'BG' },
      { prefix: '36', pricePerPart: 700, country: 'HU' },
      { prefix: '48', pricePerPart: 400, country: 'PL' },
      { prefix: '420', pricePerPart: 550, country: 'CZ' },
      { prefix: '43', pricePerPart: 850, country: 'AT' },
      { prefix: '49', pricePerPart: 900, country: 'DE' },
      { prefix: '33', pricePerPart: 750, country: 'FR' },
      { prefix: '39', pricePerPart: 700, country: 'IT' },
      { prefix: '34', pricePerPart: 650, country: 'ES' },
      { prefix: '31', pricePerPart: 850, country: 'NL' },
      { prefix: '32', pricePerPart: 800, country: 'BE' },
      { prefix: '30', pricePerPart: 500, country: 'GR' },
      { prefix: '351', pricePerPart: 400, country: 'PT' },
    ].map((entry) => Object.freeze(entry)),
  ),
});
