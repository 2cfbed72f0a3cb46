import { describe, expect, it } from 'vitest';
import { loadEnv } from '#config/env';
import { PlatformEnv } from '#config/platform-env';

describe('PlatformEnv', () => {
  it('has no default sender unless set, and caches price lists 30 s', () => {
    expect(loadEnv(PlatformEnv, {})).toEqual({ PRICE_LIST_CACHE_SECONDS: 30 });
  });

  it('canonicalises the default sender as a send would compare it', () => {
    expect(loadEnv(PlatformEnv, { PLATFORM_DEFAULT_SENDER: ' +1898 ' }).PLATFORM_DEFAULT_SENDER).toBe('1898');
  });

  it('fails at cold start for a sender id that could never be sent', () => {
    expect(() => loadEnv(PlatformEnv, { PLATFORM_DEFAULT_SENDER: 'Not/Valid' })).toThrow(
      /PLATFORM_DEFAULT_SENDER/,
    );
    expect(() => loadEnv(PlatformEnv, { PRICE_LIST_CACHE_SECONDS: '-1' })).toThrow(
      /PRICE_LIST_CACHE_SECONDS/,
    );
  });
});
