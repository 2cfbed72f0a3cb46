import { createHash, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { IdGenerator, SecretHasher } from '#ports/ids';

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789';
const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/**
 * ULID-style ids (48-bit millisecond time + 80 random bits, Crockford base32): sortable by creation,
 * 26 characters. Hand-written (a dozen lines) rather than a dependency: nothing else is needed from one.
 */
export const cryptoIds: IdGenerator = {
  newId() {
    let time = Date.now();
    let head = '';
    for (let i = 0; i < 10; i++) {
      head = CROCKFORD[time % 32] + head;
      time = Math.floor(time / 32);
    }
    const bytes = randomBytes(16);
    let tail = '';
    for (let i = 0; i < 16; i++) tail += CROCKFORD[(bytes[i] ?? 0) % 32];
    return head + tail;
  },
  newToken(length) {
    let out = '';
    for (let i = 0; i < length; i++) out += ALPHABET[randomInt(ALPHABET.length)];
    return out;
  },
};

/**
 * API key secrets are 40 random characters (~238 bits), so a fast hash is enough: nobody can guess
 * them, and a slow KDF would only add latency to every request. Passwords (low entropy) use scrypt.
 */
export const sha256Hasher: SecretHasher = {
  hash: (secret) => createHash('sha256').update(secret).digest('hex'),
  verify(secret, hash) {
    const actual = Buffer.from(createHash('sha256').update(secret).digest('hex'));
    const expected = Buffer.from(hash);
    return actual.length === expected.length && timingSafeEqual(actual, expected);
  },
};

/** A one-time code of `digits` decimal digits (what people type from an SMS), uniformly random. */
export const numericCode = (digits = 6): string => String(randomInt(10 ** digits)).padStart(digits, '0');
