/** An account (a customer of the platform). Money in integer 1/10000 of `currency`. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly status: 'active' | 'suspended';
  /** ISO 3166 alpha-2; national numbers are completed with this country's calling code. */
  readonly country: string;
  /** IANA time zone shown at the edges (schedules, reports). */
  readonly timezone: string;
  readonly currency: string;
  readonly balance: number;
  /** Sender ids approved for this account; the first one is the default sender. */
  readonly senderIds: readonly string[];
  /** Most parts one message may have (account setting). */
  readonly maxParts: number;
  readonly createdAt: string;
}

export const DEFAULT_ACCOUNT_SETTINGS = {
  country: 'RO',
  timezone: 'Europe/Bucharest',
  currency: 'EUR',
  senderIds: ['SMSHub'],
} as const;

/** The sender a message goes out from: the requested one if approved, else the account's default. */
export function resolveSender(
  account: Pick<Account, 'senderIds'>,
  requested: string | undefined,
): { ok: true; sender: string } | { ok: false; reason: 'NO_SENDER' | 'SENDER_NOT_ALLOWED' } {
  if (requested === undefined) {
    const first = account.senderIds[0];
    return first === undefined ? { ok: false, reason: 'NO_SENDER' } : { ok: true, sender: first };
  }
  return account.senderIds.includes(requested)
    ? { ok: true, sender: requested }
    : { ok: false, reason: 'SENDER_NOT_ALLOWED' };
}
