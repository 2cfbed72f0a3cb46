import { createHash } from 'node:crypto';
import type { PasswordHasher } from '#ports/ids';

/**
 * Remembers successful password checks for a few minutes in this container. The sendSMS-compatible API
 * sends the password with every request, and one scrypt check (N=2^17) costs ~128 MiB and a few hundred
 * ms of CPU: without this, a shop sending order SMS would pay that per message. Only a digest of
 * (stored hash, password) is kept, never the password; a changed password changes the stored hash, so
 * the old entry no longer matches. Failures are never cached (each one pays the full scrypt cost).
 */
export function cachedPasswords(
  inner: PasswordHasher,
  options: { ttlMs?: number; maxEntries?: number; now?: () => number } = {},
): PasswordHasher {
  const ttlMs = options.ttlMs ?? 5 * 60_000;
  const maxEntries = options.maxEntries ?? 1000;
  const now = options.now ?? Date.now;
  const verified = new Map<string, number>();
  const digest = (password: string, stored: string) =>
    createHash('sha256').update(stored).update('\0').update(password).digest('base64');
  return {
    hash: (password) => inner.hash(password),
    async verify(password, stored) {
      const key = digest(password, stored);
      const until = verified.get(key);
      if (until !== undefined && until > now()) return true;
      verified.delete(key);
      const ok = await inner.verify(password, stored);
      if (ok) {
        if (verified.size >= maxEntries) {
          const oldest = verified.keys().next().value;
          if (oldest !== undefined) verified.delete(oldest);
        }
        verified.set(key, now() + ttlMs);
      }
      return ok;
    },
  };
}
