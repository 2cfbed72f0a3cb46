import { describe, expect, it } from 'vitest';
import { monitoringCount, monitoringPositions, monitoringText } from '#domain/batch/monitoring';

describe('monitoring messages', () => {
  it('one after every N messages sent, across chunk boundaries', () => {
    expect(monitoringCount(1050, 100)).toBe(10);
    expect(monitoringPositions(0, 1000, 100)).toEqual([100, 200, 300, 400, 500, 600, 700, 800, 900, 1000]);
    expect(monitoringPositions(1000, 50, 100)).toEqual([]);
    expect(monitoringPositions(950, 300, 200)).toEqual([1000, 1200]);
    expect(monitoringPositions(0, 99, 100)).toEqual([]);
  });

  it('the chunks of a batch together give exactly monitoringCount positions, each once', () => {
    const chunks = [1000, 1000, 337, 1000, 12];
    let before = 0;
    const all: number[] = [];
    for (const n of chunks) {
      all.push(...monitoringPositions(before, n, 500));
      before += n;
    }
    expect(all).toEqual([500, 1000, 1500, 2000, 2500, 3000]);
    expect(all).toHaveLength(monitoringCount(before, 500));
  });

  it('says which batch and how many', () => {
    expect(monitoringText('Toamnă', 500)).toBe('Monitor "Toamnă": 500 messages sent');
  });
});
