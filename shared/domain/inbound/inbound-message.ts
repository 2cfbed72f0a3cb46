/** An inbound SMS (MO): a reply from a recipient to one of our numbers. */
export interface InboundMessage {
  /** Deterministic from the carrier's id, so a redelivered webhook stores nothing twice. */
  readonly id: string;
  /** The account it was routed to. */
  readonly accountId: string;
  /** The replier, E.164 when it parses as a number (else as the carrier gave it). */
  readonly from: string;
  /** Our number it was sent to, as the carrier gave it. */
  readonly to: string;
  readonly text: string;
  /** ISO UTC, from the carrier. */
  readonly receivedAt: string;
  readonly carrier: string;
  readonly carrierId: string;
  /** How the account was found: the number is dedicated to it, or it was the last to send from it. */
  readonly routedBy: 'dedicated-number' | 'last-sent';
  /** The message it answers (the last one sent to `from` from `to`), when routed by `last-sent`. */
  readonly inReplyTo?: string;
  /** The whole text was an opt-out keyword: `from` is now on the account's blocklist. */
  readonly optOut: boolean;
}

/** What the carrier told us, before routing. */
export interface ReceivedMo {
  readonly carrier: string;
  readonly carrierId: string;
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly receivedAt: string;
}

/**
 * A reply that matched no account (no dedicated number, no recent numeric send to the replier from that
 * number): kept for the operator for `UNMATCHED_INBOUND_TTL_DAYS`, then expired.
 */
export interface UnmatchedInbound {
  /** The same deterministic id an account's reply would get. */
  readonly id: string;
  /** The replier, E.164 when it parses as a number (else as the carrier gave it). */
  readonly from: string;
  readonly to: string;
  readonly text: string;
  readonly receivedAt: string;
  readonly carrier: string;
  readonly carrierId: string;
}

/** How long the operator can see a reply that matched no account. */
export const UNMATCHED_INBOUND_TTL_DAYS = 30;
