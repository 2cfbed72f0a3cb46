import type { CarrierDeliveryState } from '#domain/message/delivery-status';

export type { CarrierDeliveryState };

/**
 * The carrier, as the send path sees it. One adapter per carrier technology
 * (`adapters/carrier-sim`, `adapters/eum-sms`); which one runs is deploy-time configuration.
 */
export interface CarrierSubmission {
  /**
   * Our reference for the message, echoed by the carrier in every delivery report, so a DLR is matched
   * to its message without an index on carrier ids. Also the carrier-side idempotency key where the
   * carrier honours one (`idempotentReferences`).
   */
  readonly reference: string;
  /** E.164 with the leading '+'. */
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly encoding: 'GSM-7' | 'UCS-2';
  /** Parts as we counted them (the carrier counts its own; a mismatch is logged, not fatal). */
  readonly parts: number;
  /** Validity period: the carrier gives up (EXPIRED) after this. */
  readonly validitySeconds?: number;
}

export type SubmitResult =
  /** The carrier took the message: one carrier id per part, stored exactly as given. */
  | { readonly outcome: 'accepted'; readonly carrierIds: readonly string[] }
  /** Refused for good at submission (REJECTD, bad number, barred...): never retried, refunded. */
  | { readonly outcome: 'rejected'; readonly reason: string }
  /** Slow down (HTTP 429 / ESME_RTHROTTLED): retried later, nothing lost. */
  | { readonly outcome: 'throttled'; readonly retryAfterSeconds: number };

export interface CarrierGateway {
  readonly name: string;
  /**
   * True when a second submission with the same `reference` is recognised by the carrier and does not
   * send a second SMS (it answers with the first submission's ids). When false, the send path never
   * re-submits a message whose first attempt may have reached the carrier.
   */
  readonly idempotentReferences: boolean;
  /** Throws only for transient faults (network, 5xx): the caller retries. */
  submit(submission: CarrierSubmission): Promise<SubmitResult>;
  /** HLR/MNP lookup of a number (E.164), where the carrier offers one; absent = no lookups. */
  lookup?(number: string): Promise<NumberLookup>;
}

/** What the network knows about a number (HLR: reachable?; MNP: which network it is on now). */
export interface NumberLookup {
  readonly number: string;
  /** `active`: reachable; `absent`: switched off or not reachable; `unknown`: not a subscriber. */
  readonly status: 'active' | 'absent' | 'unknown';
  /** The network that serves it now. */
  readonly network?: string;
  /** Moved from another network (number portability), and which one it came from. */
  readonly ported: boolean;
  readonly originalNetwork?: string;
}

/** A delivery report after the carrier adapter has verified and parsed it. */
export interface DeliveryReport {
  /** Our reference from the submission (see `CarrierSubmission.reference`). */
  readonly reference: string;
  /** The carrier's id of the part this report is about, exactly as given. */
  readonly carrierId: string;
  /** 0-based part index, and the number of parts the carrier counted. */
  readonly part: number;
  readonly parts: number;
  readonly state: CarrierDeliveryState;
  /** Carrier error code, if any (`err:` field). */
  readonly error?: string;
  /** When the carrier reached this state (ISO 8601 UTC). */
  readonly at: string;
}
