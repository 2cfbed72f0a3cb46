import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { sendOffsets, windowLength } from '#domain/batch/pacing';

/** The most messages (and parts) any window of `ms` milliseconds holds. */
function busiest(offsets: readonly number[], parts: readonly number[], ms = 1000) {
  let messages = 0;
  let maxParts = 0;
  for (let i = 0; i < offsets.length; i++) {
    let count = 0;
    let sum = 0;
    for (let j = i; j < offsets.length && (offsets[j] ?? 0) < (offsets[i] ?? 0) + ms; j++) {
      count++;
      sum += parts[j] ?? 0;
    }
    messages = Math.max(messages, count);
    maxParts = Math.max(maxParts, sum);
  }
  return { messages, parts: maxParts };
}

describe('pacing', () => {
  it('spaces single-part messages at the speed: 10/s → every 100 ms', () => {
    expect(sendOffsets([1, 1, 1, 1], 10, 1000)).toEqual([0, 100, 200, 300]);
    expect(windowLength([1, 1, 1, 1], 10, 1000)).toBe(400);
  });

  it("the account's parts/s cap slows multipart messages below the campaign speed", () => {
    // 3-part messages at speed 10/s but a 6 parts/s cap: one message every 500 ms.
    expect(sendOffsets([3, 3, 3], 10, 6)).toEqual([0, 500, 1000]);
    expect(windowLength([3, 3, 3], 10, 6)).toBe(1500);
  });

  it('speed 0 goes as fast as the cap allows', () => {
    expect(sendOffsets([1, 1, 1], 0, 2)).toEqual([0, 500, 1000]);
    expect(sendOffsets([1, 1, 1], 0, 0)).toEqual([0, 0, 0]);
  });

  it('a message held back by the cap is not followed by a burst past the speed (found by fast-check)', () => {
    // 2/s with a 3 parts/s cap: the 5-part message takes 5/3 s; the single-part ones after it still go
    // 500 ms apart (the speed), not 333 ms (the cap).
    const offsets = sendOffsets([5, 1, 1, 1, 1], 2, 3);
    expect(busiest(offsets, [5, 1, 1, 1, 1]).messages).toBeLessThanOrEqual(3);
    expect(offsets.slice(1).map((o, i) => Math.round(o - (offsets[i] ?? 0)))).toEqual([1667, 500, 500, 500]);
  });

  it('no one-second window holds more than speed + 1 messages or cap + one message of parts', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 1, max: 6 }), { minLength: 1, maxLength: 300 }),
        fc.integer({ min: 1, max: 200 }),
        fc.integer({ min: 1, max: 400 }),
        (parts, speed, cap) => {
          const offsets = sendOffsets(parts, speed, cap);
          const worst = busiest(offsets, parts);
          expect(worst.messages).toBeLessThanOrEqual(speed + 1);
          expect(worst.parts).toBeLessThanOrEqual(cap + 6);
          expect(offsets.every((o, i) => i === 0 || o >= (offsets[i - 1] ?? 0))).toBe(true);
          expect(offsets.at(-1) ?? 0).toBeLessThanOrEqual(windowLength(parts, speed, cap));
        },
      ),
    );
  });
});
