/** Billing details printed on invoices (MISSION item 8). */
export interface BillingDetails {
  readonly company: string;
  readonly vatId?: string;
  readonly address: string;
  readonly email?: string;
}

/**
 * An account (a customer of the platform) or a subuser of one. Money in integer 1/10000 of `currency`:
 * `balance` is what can still be spent, `reserved` is held for messages not yet final, `spent` is
 * settled. A top-up adds to `balance`; sending moves cost from `balance` to `reserved`; the outcome
 * moves it on to `spent` (settled) or back to `balance` (refunded).
 */
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
  readonly reserved: number;
  readonly spent: number;
  /** Sender ids approved for this account; the first one is the default sender. */
  readonly senderIds: readonly string[];
  /** Most parts one message may have (account setting). */
  readonly maxParts: number;
  readonly createdAt: string;
  /** Set for a subuser: the account that created it. */
  readonly parentId?: string;
  /** `parent`: a subuser funded by its parent (own transferred credit first, then the parent's). */
  readonly billing: 'separate' | 'parent';
  /** Login name for the sendSMS-compatible API; unique platform-wide (case-insensitive). */
  readonly username?: string;
  /** scrypt hash of the password (never the password). */
  readonly passwordHash?: string;
  readonly notificationEmail?: string;
  /** Whether replies (MO) from recipients reach this account. */
  readonly receivesReplies: boolean;
  /** The price list used for quotes; absent = the platform default list. */
  readonly priceListId?: string;
  /** Optional cap on what may be reserved per calendar day (UTC), integer units. */
  readonly dailySpendLimit?: number;
  /** API requests per second allowed for this account (429 beyond). */
  readonly requestsPerSecond: number;
  /** Sending cap in message parts per second, across all of the account's running campaigns. */
  readonly partsPerSecond: number;
  readonly billingDetails?: BillingDetails;
  /** Where status changes and replies are POSTed (`PUT /v1/account/callbacks`). */
  readonly callbackUrl?: string;
  /** Whether every status change of this account's messages is POSTed to `callbackUrl`. */
  readonly deliveryCallbacks?: boolean;
  /** Whole-message opt-out keywords; absent = the defaults (STOP, DEZABONARE, NU). */
  readonly optOutKeywords?: readonly string[];
  /** The account holder's own mobile (E.164), proven by a code sent to it (`/v1/account/phone`). */
  readonly phone?: string;
  readonly phoneVerifiedAt?: string;
}

export const DEFAULT_ACCOUNT_SETTINGS = {
  country: 'RO',
  timezone: 'Europe/Bucharest',
  currency: 'EUR',
  senderIds: ['SMSHub'],
  requestsPerSecond: 50,
  partsPerSecond: 100,
} as const;

/**
 * The sender a message goes out from: the requested one if approved for the account (or the operator's
 * default short number, which every account may use), else the account's default.
 */
export function resolveSender(
  account: Pick<Account, 'senderIds'>,
  requested: string | undefined,
  platformDefault?: string,
): { ok: true; sender: string } | { ok: false; reason: 'NO_SENDER' | 'SENDER_NOT_ALLOWED' } {
  if (requested === undefined) {
    const first = account.senderIds[0] ?? platformDefault;
    return first === undefined ? { ok: false, reason: 'NO_SENDER' } : { ok: true, sender: first };
  }
  return account.senderIds.includes(requested) || requested === platformDefault
    ? { ok: true, sender: requested }
    : { ok: false, reason: 'SENDER_NOT_ALLOWED' };
}

/**
 * Which accounts may pay for a message sent by `account`, in order: its own balance, then (for a
 * parent-funded subuser) its parent's.
 */
export function fundingOrder(account: Pick<Account, 'id' | 'billing' | 'parentId'>): string[] {
  return account.billing === 'parent' && account.parentId ? [account.id, account.parentId] : [account.id];
}
