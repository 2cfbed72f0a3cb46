import type { InboundMessage, ReceivedMo, UnmatchedInbound } from '#domain/inbound/inbound-message';
import type { Page } from './account-repository';

/** Where a reply to `address` from `from` goes. */
export interface ReplyRoute {
  readonly accountId: string;
  readonly routedBy: 'dedicated-number' | 'last-sent';
  readonly messageId?: string;
}

export interface ReplyRoutes {
  /** Records that `accountId` just sent `messageId` to `to` from `address` (last writer wins). */
  recordLastSent(input: {
    address: string;
    to: string;
    accountId: string;
    messageId: string;
    at: string;
  }): Promise<void>;
  /** The dedicated number's account first, else the last sender to `from` from `address`. */
  find(address: string, from: string): Promise<ReplyRoute | undefined>;
}

export interface DedicatedNumber {
  readonly number: string;
  readonly accountId: string;
  readonly assignedAt: string;
  readonly assignedBy: string;
}

export interface DedicatedNumbers {
  list(page: { limit: number; cursor?: string }): Promise<Page<DedicatedNumber>>;
  put(entry: DedicatedNumber): Promise<void>;
  remove(number: string): Promise<boolean>;
}

export interface InboundFilter {
  readonly limit: number;
  readonly cursor?: string;
  /** ISO UTC bounds on `receivedAt` (inclusive from, exclusive to). */
  readonly from?: string;
  readonly to?: string;
  /** Only replies from this number (E.164). */
  readonly number?: string;
}

export interface InboundRepository {
  /** Stores the reply once (by id); false when it was already stored. */
  save(inbound: InboundMessage): Promise<boolean>;
  /** The account's replies, newest first. */
  list(accountId: string, filter: InboundFilter): Promise<Page<InboundMessage>>;
  /** Puts the number on the account's blocklist with `reason` unless it is there already. */
  optOut(input: {
    accountId: string;
    number: string;
    reason: string;
    at: string;
    /** Who blocked it, for the listing: `mo:<keyword>`. */
    by: string;
  }): Promise<void>;
}

export interface InboundQueue {
  enqueue(mos: readonly ReceivedMo[]): Promise<void>;
}

/** Replies that matched no account, for the operator (one platform partition, expiring). */
export interface UnmatchedInboundStore {
  /** Stores it once (by id); false when it was already stored. */
  save(reply: UnmatchedInbound): Promise<boolean>;
  /** Newest first. */
  list(page: { limit: number; cursor?: string }): Promise<Page<UnmatchedInbound>>;
}
