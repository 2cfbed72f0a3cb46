/**
 * Sender ID (TP-OA) syntax: what a handset can show as the sender. Whether an account may use a given
 * sender (it must own an approved registration) is a separate rule; this only says whether the string
 * can be a sender at all, and gives its canonical form so registrations and sends compare equal.
 *
 * - Numeric: 1–15 digits (an E.164 number or a short code). A leading `+` is accepted and stripped,
 *   because users copy numbers in international format and the `+` is not sent (the number type says
 *   international); `+40 722` with inner spaces is not numeric (and not alphanumeric either, see below).
 * - Alphanumeric: 1–11 characters from ASCII letters, digits and space, with at least one letter
 *   (an all-digit label would be taken for a number). Outer spaces are trimmed; inner ones are kept.
 *   Anything else (punctuation, diacritics, emoji) is `INVALID_CHARACTERS`: carriers and handsets
 *   render them inconsistently or reject the message.
 */

export type SenderIdKind = 'alphanumeric' | 'numeric';

export type SenderIdCheck =
  | { ok: true; kind: SenderIdKind; value: string }
  | { ok: false; reason: 'EMPTY' | 'TOO_LONG' | 'INVALID_CHARACTERS' | 'NO_LETTER' };

export const MAX_ALPHANUMERIC_SENDER = 11;
export const MAX_NUMERIC_SENDER = 15;

const NUMERIC = /^\+?[0-9]+$/;
const ALPHANUMERIC_CHARS = /^[A-Za-z0-9 ]+$/;
const LETTER = /[A-Za-z]/;

/**
 * Validate and canonicalise a sender ID. Checks run in the order the user can fix them: empty, then
 * characters, then length, then the missing letter.
 */
export function validateSenderId(input: string): SenderIdCheck {
  const value = input.trim();
  if (value === '') return { ok: false, reason: 'EMPTY' };
  if (NUMERIC.test(value)) {
    const digits = value.startsWith('+') ? value.slice(1) : value;
    if (digits.length > MAX_NUMERIC_SENDER) return { ok: false, reason: 'TOO_LONG' };
    return { ok: true, kind: 'numeric', value: digits };
  }
  if (!ALPHANUMERIC_CHARS.test(value)) return { ok: false, reason: 'INVALID_CHARACTERS' };
  if (value.length > MAX_ALPHANUMERIC_SENDER) return { ok: false, reason: 'TOO_LONG' };
  if (!LETTER.test(value)) return { ok: false, reason: 'NO_LETTER' };
  return { ok: true, kind: 'alphanumeric', value };
}
