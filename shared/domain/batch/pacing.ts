/**
 * When each message of a chunk may go out, so that the campaign's speed (messages/s) and the account's
 * cap (parts/s, shared by all its running campaigns) both hold. Message i goes at
 * `start + max(i / speed, partsBefore(i) / partsPerSecond)`: monotone, never faster than either limit,
 * so any one-second window holds at most speed + 1 messages and partsPerSecond + (one message's parts).
 * Speed 0 means "as fast as the account's cap allows".
 */
export function sendOffsets(parts: readonly number[], speed: number, partsPerSecond: number): number[] {
  const offsets: number[] = [];
  let partsBefore = 0;
  for (let i = 0; i < parts.length; i++) {
    const bySpeed = speed > 0 ? (i * 1000) / speed : 0;
    const byCap = partsPerSecond > 0 ? (partsBefore * 1000) / partsPerSecond : 0;
    offsets.push(Math.max(bySpeed, byCap));
    partsBefore += parts[i] ?? 1;
  }
  return offsets;
}

/** How long the chunk occupies the account's sending time (ms): until the slot after the last message. */
export function windowLength(parts: readonly number[], speed: number, partsPerSecond: number): number {
  const total = parts.reduce((sum, p) => sum + p, 0);
  return Math.max(
    speed > 0 ? (parts.length * 1000) / speed : 0,
    partsPerSecond > 0 ? (total * 1000) / partsPerSecond : 0,
  );
}
