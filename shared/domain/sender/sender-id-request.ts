/**
 * A customer's request to send from a new sender id. Sender ids must be approved by the operator
 * (registration with carriers, brand checks), so a request waits `pending` until the operator approves
 * it (the id joins the account's `senderIds`) or rejects it (with a reason the customer can read).
 */
export type SenderIdRequestStatus = 'pending' | 'approved' | 'rejected';

export const SENDER_ID_REQUEST_STATUSES: readonly SenderIdRequestStatus[] = [
  'pending',
  'approved',
  'rejected',
];

export interface SenderIdRequest {
  readonly id: string;
  readonly accountId: string;
  /** Canonical form (`validateSenderId(...).value`), so requests and sends compare equal. */
  readonly senderId: string;
  readonly note?: string;
  readonly status: SenderIdRequestStatus;
  readonly createdAt: string;
  /** Set once the operator decided. */
  readonly decidedAt?: string;
  readonly decidedBy?: string;
  /** The operator's reason for a rejection. */
  readonly reason?: string;
}

/** The operator's decision on a pending request. */
export type SenderIdDecision =
  | { readonly status: 'approved'; readonly at: string; readonly by: string }
  | { readonly status: 'rejected'; readonly at: string; readonly by: string; readonly reason: string };
