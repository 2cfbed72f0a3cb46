import type { LinkCodes } from '#domain/links/links';
import type { Encoding } from './encoding';

/** Statuses a message goes through; the contract's list (CONTRACT.md). */
export type MessageStatus =
  | 'accepted'
  | 'scheduled'
  | 'queued'
  | 'submitted'
  | 'delivered'
  | 'undelivered'
  | 'expired'
  | 'rejected'
  | 'failed'
  | 'cancelled';

export const FINAL_STATUSES: ReadonlySet<MessageStatus> = new Set([
  'delivered',
  'undelivered',
  'expired',
  'rejected',
  'failed',
  'cancelled',
]);

/**
 * Order of statuses. An update applies only when it moves the rank up, which makes status updates
 * monotonic and idempotent: a duplicate DLR (same rank) or a late ENROUTE after DELIVRD (lower rank)
 * changes nothing, and a DLR that overtakes the submit answer is not undone by it.
 * All final statuses share the top rank: once final, a message never changes status again.
 */
export const STATUS_RANK: Readonly<Record<MessageStatus, number>> = {
  accepted: 0,
  scheduled: 1,
  queued: 2,
  submitted: 3,
  delivered: 9,
  undelivered: 9,
  expired: 9,
  rejected: 9,
  failed: 9,
  cancelled: 9,
};

export function isFinal(status: MessageStatus): boolean {
  return FINAL_STATUSES.has(status);
}

/** Whether moving from `current` to `next` is a forward step (the only kind of step ever applied). */
export function isForward(current: MessageStatus, next: MessageStatus): boolean {
  return STATUS_RANK[next] > STATUS_RANK[current];
}

export interface MessageEvent {
  readonly status: MessageStatus;
  /** ISO 8601 UTC. */
  readonly at: string;
  readonly reason?: string;
}

export interface Message {
  readonly id: string;
  readonly accountId: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  /**
   * What the carrier is sent when it differs from `text`: a verification code's SMS, whose `text` (all
   * the account ever reads back) has the code masked, or the code would prove nothing.
   */
  readonly carrierText?: string;
  readonly encoding: Encoding;
  readonly parts: number;
  /** Integer 1/10000 of the currency unit. */
  readonly cost: number;
  readonly pricePerPart: number;
  /** The account whose credit was reserved for it (itself, or the parent of a parent-funded subuser). */
  readonly fundedBy: string;
  readonly currency: string;
  readonly status: MessageStatus;
  readonly reason?: string;
  readonly carrierIds?: readonly string[];
  readonly createdAt: string;
  readonly events: readonly MessageEvent[];
  /** The carrier reference we submit with; echoed in DLRs (see CarrierSubmission.reference). */
  readonly reference: string;
  /** When a scheduled message is due (ISO UTC). */
  readonly scheduledAt?: string;
  /** The batch campaign it belongs to, if any. */
  readonly batchId?: string;
  /** Validity period: the carrier gives up after this. */
  readonly validitySeconds?: number;
  /** Every status change is POSTed here (the send's own URL, else the account's when switched on). */
  readonly callbackUrl?: string;
  /** The sendSMS API's `report_url` + `report_mask`: a GET per selected status (`#domain/callbacks/report-url`). */
  readonly report?: { readonly url: string; readonly mask: number };
  /** The customer's own reference for it (a batch file's `client_reference`); absent for most. */
  readonly clientReference?: string;
  /**
   * The short/unsubscribe links in its text (sendSMS `short`, `{gdpr}`): stored with the message, so the
   * sender makes them permanent before submitting it even if the API's own attach failed.
   */
  readonly links?: LinkCodes;
}

/** Statuses from which the sender may (still) submit. */
export function isSubmittable(status: MessageStatus): boolean {
  return status === 'accepted' || status === 'scheduled' || status === 'queued';
}

/** The carrier reference of a message: carries the account so a DLR finds its item with one key read. */
export function messageReference(accountId: string, messageId: string): string {
  return `${accountId}.${messageId}`;
}

export function parseMessageReference(
  reference: string,
): { accountId: string; messageId: string } | undefined {
  const dot = reference.indexOf('.');
  if (dot <= 0 || dot === reference.length - 1 || reference.indexOf('.', dot + 1) !== -1) return undefined;
  return { accountId: reference.slice(0, dot), messageId: reference.slice(dot + 1) };
}
