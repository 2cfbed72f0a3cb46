import { describe, expect, it } from 'vitest';
import {
  applyShortLinks,
  applyUnsubscribeLink,
  findUrls,
  shortMode,
  urlsToShorten,
} from '#domain/links/links';

describe('links in a text', () => {
  it('finds URLs without the punctuation that ends the sentence', () => {
    expect(findUrls('Vezi https://a.ro/x?y=1. Sau http://b.ro/(c), apoi https://a.ro/x?y=1!')).toEqual([
      'https://a.ro/x?y=1',
      'http://b.ro/(c',
    ]);
  });

  it('reads short as none, all, or one URL', () => {
    expect(shortMode(undefined)).toEqual({ kind: 'none' });
    expect(shortMode('false')).toEqual({ kind: 'none' });
    expect(shortMode('true')).toEqual({ kind: 'all' });
    expect(shortMode(' https://a.ro/f.pdf ')).toEqual({ kind: 'url', url: 'https://a.ro/f.pdf' });
  });

  it('replaces every URL, or puts one at {short} (appended without a placeholder)', () => {
    const map = new Map([['https://a.ro/x', 'S1']]);
    expect(applyShortLinks('Go https://a.ro/x now, https://a.ro/x', { kind: 'all' }, map)).toBe(
      'Go S1 now, S1',
    );
    expect(urlsToShorten('no links', { kind: 'all' })).toEqual([]);
    expect(applyShortLinks('Factura {short}!', { kind: 'url', url: 'https://a.ro/x' }, map)).toBe(
      'Factura S1!',
    );
    expect(applyShortLinks('Factura', { kind: 'url', url: 'https://a.ro/x' }, map)).toBe('Factura S1');
    expect(applyShortLinks('https://a.ro/x', { kind: 'none' }, map)).toBe('https://a.ro/x');
  });

  it('puts the unsubscribe link at {gdpr} or at the end', () => {
    expect(applyUnsubscribeLink('Stop: {gdpr}.', 'U')).toBe('Stop: U.');
    expect(applyUnsubscribeLink('Promo', 'U')).toBe('Promo U');
  });
});
