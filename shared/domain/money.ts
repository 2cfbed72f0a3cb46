/**
 * Money as integers of 1/10000 of the currency unit (CONTRACT.md: stored as integers, shown as decimal
 * strings with up to 4 decimals). Prices per part such as 0.0450 EUR need 4 decimals; integers keep
 * sums of millions of parts exact, which floats do not (0.1 + 0.2 !== 0.3).
 * Conversion goes through decimal strings only, never through float multiplication.
 */

/** Units per currency unit: 4 decimals. */
export const MONEY_SCALE = 10_000;
const DECIMALS = 4;

/** An amount that is not a valid money value (too many decimals, exponent, not finite, too large). */
export class InvalidAmount extends Error {
  readonly code = 'INVALID_AMOUNT';
  constructor(readonly input: unknown) {
    super(`Invalid amount: ${typeof input === 'string' ? JSON.stringify(input) : String(input)}`);
    this.name = 'InvalidAmount';
  }
}

/**
 * Integer units → decimal string with exactly 4 decimals: 450 → "0.0450", -12345 → "-1.2345".
 * Throws {@link InvalidAmount} for anything but a safe integer: a fractional unit means a bug upstream.
 */
export function formatMoney(units: number): string {
  if (!Number.isSafeInteger(units)) throw new InvalidAmount(units);
  const digits = String(Math.abs(units)).padStart(DECIMALS + 1, '0');
  const sign = units < 0 ? '-' : '';
  return `${sign}${digits.slice(0, -DECIMALS)}.${digits.slice(-DECIMALS)}`;
}

const AMOUNT = /^(-?)([0-9]+)(?:\.([0-9]{1,4}))?$/;

/**
 * Decimal amount → integer units, strictly: "12.5" → 125000, "0.0450" → 450, "-1" → -10000.
 * Accepted strings: optional `-`, digits, optionally `.` and 1–4 digits; nothing else (no spaces,
 * `+`, exponent, thousands separator, `.5` or `5.`).
 *
 * A number is accepted when its shortest decimal form (what `String(n)` and JSON print) has at most
 * 4 decimals and no exponent: 0.045 → 450, but 0.1 + 0.2 (0.30000000000000004) and 1e-7 are rejected
 * rather than silently rounded. The result must be a safe integer. `-0` gives 0.
 */
export function parseMoney(input: string | number): number {
  if (typeof input === 'number' && !Number.isFinite(input)) throw new InvalidAmount(input);
  const text = typeof input === 'number' ? String(input) : input;
  const match = AMOUNT.exec(text);
  if (!match) throw new InvalidAmount(input);
  const [, sign, whole = '', fraction = ''] = match;
  const magnitude = Number(whole + fraction.padEnd(DECIMALS, '0'));
  if (!Number.isSafeInteger(magnitude)) throw new InvalidAmount(input);
  if (magnitude === 0) return 0;
  return sign === '-' ? -magnitude : magnitude;
}
