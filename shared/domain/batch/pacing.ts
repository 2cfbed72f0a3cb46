/**
 * When each message of a chunk may go out, so that the campaign's speed (messages/s) and the account's
 * cap (parts/s, shared by all its running campaigns) both hold. Each message waits after the one before
 * it for `max(1 / speed, itsParts / partsPerSecond)`: a gap, never a catch-up, so a message held back by
 * one limit is not followed by a burst the other allows (a cumulative schedule — message i at
 * `max(i / speed, partsBefore(i) / partsPerSecond)` — let single-part messages after a long one go at the
 * cap's pace, past the campaign speed). Any one-second window therefore holds at most speed + 1 messages
 * and partsPerSecond + (one message's parts). Speed 0 means "as fast as the account's cap allows".
 */
export function sendOffsets(parts: readonly number[], speed: number, partsPerSecond: number): number[] {
  const offsets: number[] = [];
  let at = 0;
  for (const messageParts of parts) {
    offsets.push(at);
    at += gap(messageParts, speed, partsPerSecond);
  }
  return offsets;
}

/** How long the chunk occupies the account's sending time (ms): until the slot after the last message. */
export function windowLength(parts: readonly number[], speed: number, partsPerSecond: number): number {
  return parts.reduce((total, messageParts) => total + gap(messageParts, speed, partsPerSecond), 0);
}

function gap(messageParts: number, speed: number, partsPerSecond: number): number {
  return Math.max(
    speed > 0 ? 1000 / speed : 0,
    partsPerSecond > 0 ? (messageParts * 1000) / partsPerSecond : 0,
  );
}
