import { describe, expect, it } from 'vitest';
import { zonedWallTimeToUtc } from '#domain/time/zoned-time';

describe('zonedWallTimeToUtc', () => {
  it('reads wall times in the zone, summer and winter', () => {
    expect(zonedWallTimeToUtc('2026-07-01 12:00:00', 'Europe/Bucharest')?.toISOString()).toBe(
      '2026-07-01T09:00:00.000Z',
    );
    expect(zonedWallTimeToUtc('2026-12-01 12:00:00', 'Europe/Bucharest')?.toISOString()).toBe(
      '2026-12-01T10:00:00.000Z',
    );
    expect(zonedWallTimeToUtc('2026-12-01 12:00', 'UTC')?.toISOString()).toBe('2026-12-01T12:00:00.000Z');
  });

  it('settles times next to a DST change', () => {
    // Bucharest springs forward on 2026-03-29 at 03:00 (+2 → +3).
    expect(zonedWallTimeToUtc('2026-03-29 04:30:00', 'Europe/Bucharest')?.toISOString()).toBe(
      '2026-03-29T01:30:00.000Z',
    );
    expect(zonedWallTimeToUtc('2026-03-29 02:30:00', 'Europe/Bucharest')?.toISOString()).toBe(
      '2026-03-29T00:30:00.000Z',
    );
  });

  it('refuses what is not a wall time', () => {
    for (const bad of ['2026-02-30 10:00:00', '2026-01-01 24:00:00', 'tomorrow', '2026-01-01']) {
      expect(zonedWallTimeToUtc(bad, 'Europe/Bucharest')).toBeUndefined();
    }
  });
});
