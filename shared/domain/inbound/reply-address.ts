/**
 * Which of our sender ids a recipient can answer. Only a number can receive an SMS: a short code
 * (`1898`) or a long number (`40744000000`). An alphanumeric sender (`DemoShop`) cannot be replied to,
 * so messages sent from one never record a reply route (and cost no extra write).
 */
export function canReceiveReplies(sender: string): boolean {
  return /^\+?\d{3,15}$/.test(sender.trim());
}

/**
 * The form in which a sender id (ours, on an MT) and the `to` of an MO are compared: digits only,
 * without `+` or an international `00` prefix, so `+40744000000`, `0040744000000` and `40744000000`
 * are one address. Undefined for anything that is not a number.
 */
export function replyAddress(value: string): string | undefined {
  const trimmed = value.trim().replace(/[\s\-().]/g, '');
  if (!/^\+?\d{3,17}$/.test(trimmed)) return undefined;
  const digits = trimmed.replace(/^\+/, '');
  return digits.startsWith('00') ? digits.slice(2) : digits;
}

/** How long a "last sent to <number> from <sender>" route stays usable for a reply. */
export const REPLY_ROUTE_TTL_SECONDS = 30 * 24 * 3600;
