import { closeSync, openSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Phone numbers and short codes that are unique across a whole integration run, across its forked
 * workers. State in the local stack is kept per number across accounts (the platform blocklist, the
 * daily caps of phone verification, reply routes `REPLYTO#<our number>#<to>`, the simulator's list), so
 * two tests that draw the same random number can see each other: a flake, rare and unreproducible.
 *
 * Each number space (a two-digit ending, or short codes) is cut into chunks of CHUNK slots. A process
 * claims a whole chunk by creating a file named after it with O_EXCL (`wx`) in a directory the global
 * setup makes for the run, so two processes can never own the same chunk, whatever vitest's pool, its
 * isolation or its worker ids do (VITEST_WORKER_ID is only a task index, VITEST_POOL_ID is reused by
 * every file its slot runs); then it hands out the chunk's slots in order, claiming the next when done.
 */
export const CHUNK = 1_000;

/**
 * 073–077 then any 5 digits then the ending: all valid mobiles for libphonenumber-js (078 and 070–071
 * only partly). 072 is left to the numbers tests write by hand (0722 123 456, 0722 000 011...), so a
 * drawn number never meets one of those.
 */
const FIRST_DIGIT = 3;
const MOBILE_SLOTS = 5 * 100_000;
/** Short codes `1xxxxxx` (7 digits, a numeric sender id the platform accepts). */
const SHORT_CODE_SLOTS = 1_000_000;

/** Claims the chunk `name` for this process: true when nobody (this process included) had it. */
export type ChunkClaim = (name: string) => boolean;

/** Claims through the file system: `dir` is shared by every process of the run. */
export function fileClaim(dir: string): ChunkClaim {
  return (name) => {
    try {
      closeSync(openSync(join(dir, name), 'wx'));
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'EEXIST') return false;
      throw error;
    }
  };
}

/** Claims within this process only (unit tests, or no global setup): unique in the process. */
export function memoryClaim(): ChunkClaim {
  const taken = new Set<string>();
  return (name) => {
    if (taken.has(name)) return false;
    taken.add(name);
    return true;
  };
}

export function makeTestNumbers(claim: ChunkClaim) {
  const cursors = new Map<string, { next: number; end: number }>();

  /**
   * The next unused slot of `space` (< `slots`), claiming a new chunk when this process has fewer than
   * `room` left in its current one.
   */
  function nextSlot(space: string, slots: number, room = 1): number {
    const cursor = cursors.get(space);
    if (cursor && cursor.end - cursor.next >= room) return cursor.next++;
    // Each chunk is tried once at most, so this ends after slots / CHUNK claims whatever others hold.
    for (let chunk = cursor ? cursor.end / CHUNK : 0; chunk < slots / CHUNK; chunk++) {
      if (!claim(`${space}.${chunk}`)) continue;
      cursors.set(space, { next: chunk * CHUNK + 1, end: (chunk + 1) * CHUNK });
      return chunk * CHUNK;
    }
    throw new Error(`test numbers: every chunk of '${space}' is taken in this run`);
  }

  /**
   * A Romanian mobile (+40 7d, d from 3 to 7, then 7 digits) ending in `suffix`, never drawn before in the run.
   * The carrier simulator decides by the last digits (00 undelivered, 98 expired, 99 rejected, anything
   * else delivered; HLR: ending 7 ported, 00 absent), so only the digits before the ending vary. A
   * one-digit ending `d` ends in `1d`: never 00/98/99 by accident, and the same space as `mobile('1d')`.
   */
  function mobile(suffix = '11', room = 1): string {
    if (!/^\d{1,2}$/.test(suffix))
      throw new Error(`mobile(): the ending must be 1 or 2 digits, not '${suffix}'`);
    const ending = suffix.padStart(2, '1');
    const slot = nextSlot(ending, MOBILE_SLOTS, room);
    return `+407${FIRST_DIGIT + Math.floor(slot / 100_000)}${String(slot % 100_000).padStart(5, '0')}${ending}`;
  }

  /**
   * `count` distinct mobiles ending in `suffix`. Up to CHUNK of them come from one chunk, so they share
   * their first digits (+407dXX, national 07dXX), for tests that search by a number prefix.
   */
  function mobiles(count: number, suffix = '11'): string[] {
    const room = Math.min(count, CHUNK);
    return Array.from({ length: count }, (_, i) => mobile(suffix, i === 0 ? room : 1));
  }

  /** A numeric short code (7 digits, starting with 1) no other test of the run uses as a sender. */
  function shortCode(): string {
    return `1${String(nextSlot('short', SHORT_CODE_SLOTS)).padStart(6, '0')}`;
  }

  return { mobile: (suffix?: string) => mobile(suffix), mobiles, shortCode };
}
