import type { Message, MessageEvent, MessageStatus } from '#domain/message/message';
import type { LedgerEntry } from './account-repository';

/** The first answer given to a request with an `Idempotency-Key`, replayed for any retry. */
export interface IdempotencyRecord {
  readonly accountId: string;
  readonly key: string;
  /** Hash of the request body: the same key with a different request is a conflict. */
  readonly requestHash: string;
  readonly messageId: string;
}

export interface MessageRepository {
  /**
   * Stores a new message and charges its cost in one transaction: the balance must cover the cost
   * (else `InsufficientCredit`, nothing written), the ledger gets the charge, and the idempotency record
   * (if any) is created. Throws `IdempotencyConflict`-free: returns `{ duplicateOf }` when the key exists.
   */
  createWithCharge(input: {
    message: Message;
    charge: LedgerEntry;
    idempotency?: IdempotencyRecord;
    /** The sending account's daily cap: what it reserved on `day` (UTC) may not exceed `limit`. */
    dailySpend?: { accountId: string; day: string; limit: number };
  }): Promise<{ created: true } | { created: false; existing: IdempotencyRecord }>;
  get(accountId: string, messageId: string): Promise<Message | undefined>;
  /**
   * Several messages of one account (e.g. a batch's, for its results download), in no particular
   * order; ids with no message are left out. Eventually consistent (cheap reads for a report) unless
   * `consistent` (a batch's settlement must see every final status already written).
   */
  getMany(
    accountId: string,
    messageIds: readonly string[],
    options?: { consistent?: boolean },
  ): Promise<Message[]>;
  getIdempotency(accountId: string, key: string): Promise<IdempotencyRecord | undefined>;
  /**
   * Moves the status forward (never back: applies only if the current rank is lower) and appends the
   * event. Returns the message after the update, or undefined when the move was not forward.
   */
  advance(
    accountId: string,
    messageId: string,
    event: MessageEvent,
    extra?: { carrierIds?: readonly string[] },
  ): Promise<Message | undefined>;
  /**
   * Claims the message for submission: succeeds once for a submittable message; a second claim (a
   * redelivered queue message) reports the earlier attempt so the caller can decide not to resend.
   */
  claimForSubmission(
    accountId: string,
    messageId: string,
    at: string,
  ): Promise<
    | { outcome: 'claimed'; message: Message }
    | { outcome: 'already-claimed'; message: Message }
    | { outcome: 'not-submittable'; message: Message | undefined }
  >;
  /**
   * The claim of a batch message: creates its item as `submitted` if there is none, or only a claim
   * given back after a throttle (`queued`, see `releaseSubmission`) — one conditional Put. Any other
   * item means an earlier delivery of the job got this far, or a failed batch's seal: it is returned.
   */
  createSubmitted(message: Message): Promise<{ created: true } | { created: false; existing: Message }>;
  /**
   * Seals batch messages never submitted, as a batch is settled: writes each one's item as given
   * (`cancelled`) where there is none or only a given-back claim (`queued`) — the same conditional Put
   * as the sender's claim, so a sender still holding a job can no longer claim it. Answers the items a
   * sender claimed first (never a `queued` one: a claim given back again meanwhile is sealed after all).
   */
  sealUnsent(messages: readonly Message[]): Promise<Message[]>;
  /**
   * Gives a batch message's claim back after the carrier certainly did not take it (throttled): its
   * item is rewritten as given (`queued`), only while it is still the claim nothing answered
   * (`submitted`, no carrier ids). Not deleted: a `queued` item tells the retried job that this message
   * may already be charged by a failed batch's settlement and must still be sent (submit-batch-message).
   */
  releaseSubmission(message: Message): Promise<void>;
  /** Gives a claim back after the carrier certainly did not take the message (throttled). */
  releaseClaim(accountId: string, messageId: string): Promise<void>;
  /** Stores the carrier ids (always, even if a DLR already moved the status past `submitted`). */
  recordCarrierIds(accountId: string, messageId: string, carrierIds: readonly string[]): Promise<void>;
  /** Records one part's final state; returns all part states known after the write. */
  recordPartState(
    accountId: string,
    messageId: string,
    part: number,
    status: MessageStatus,
    carrierId?: string,
  ): Promise<Readonly<Record<string, MessageStatus>> | undefined>;
  /**
   * Moves the message to a final status and, in the same transaction, settles its reserved cost
   * (`settle`: reserved → spent) or gives it back (`refund`: reserved → balance) on the account that
   * paid (`message.fundedBy`), with the ledger entry. Applies only when the move is forward, so a
   * message is settled or refunded exactly once. Returns the message, or undefined if not forward.
   */
  finalize(
    message: Pick<Message, 'accountId' | 'id' | 'fundedBy' | 'cost'>,
    event: MessageEvent,
    money: FinalizeMoney,
  ): Promise<Message | undefined>;
}

export interface FinalizeMoney {
  readonly kind: 'settle' | 'refund';
  readonly entryId: string;
  readonly reason: string;
  /**
   * When we settle or refund (ISO UTC, our Clock): the ledger entry's time and sort key, and the
   * message's `settledAt`/`refundedAt`. Never the event's time, which a DLR takes from the carrier's
   * clock (skewed or wrong, it would put the ledger out of order or in the future).
   */
  readonly at: string;
}

/**
 * The ledger entry `finalize` writes with the move: the whole reserved cost leaves `reserved`, into
 * `spent` (settle) or back to the balance (refund). One definition for every implementation of the port.
 */
export function finalizeLedgerEntry(
  message: Pick<Message, 'id' | 'fundedBy' | 'cost'>,
  money: FinalizeMoney,
): LedgerEntry {
  const settle = money.kind === 'settle';
  return {
    id: money.entryId,
    accountId: message.fundedBy,
    amount: settle ? 0 : message.cost,
    reservedDelta: -message.cost,
    ...(settle ? { spentDelta: message.cost } : {}),
    kind: money.kind,
    reason: money.reason,
    by: 'system',
    ref: message.id,
    at: money.at,
  };
}
