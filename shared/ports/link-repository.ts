import type { LinkCodes, ShortLink, UnsubscribeLink } from '#domain/links/links';
import type { Page } from './account-repository';

/** Short and unsubscribe links, found by their public code. */
export interface LinkRepository {
  /** `expiresAt` (unix seconds): the table's TTL, until `attachMessage` removes it. */
  createShortLinks(links: readonly ShortLink[], expiresAt: number): Promise<void>;
  createUnsubscribeLink(link: UnsubscribeLink, expiresAt: number): Promise<void>;
  /**
   * Records which message the links went out in (after the message was accepted); they no longer expire.
   * Idempotent (the API and the sender may both do it); a code whose item is gone is skipped, never
   * recreated as a stub.
   */
  attachMessage(codes: LinkCodes, messageId: string): Promise<void>;
  /** Counts one click and returns the link; undefined for an unknown code. */
  click(code: string, at: string): Promise<ShortLink | undefined>;
  getUnsubscribeLink(code: string): Promise<UnsubscribeLink | undefined>;
  /** Marks the link confirmed (the first confirmation's time is kept). */
  confirmUnsubscribe(code: string, at: string): Promise<void>;
  /** An account's short links, newest first (with their click counts). */
  listShortLinks(accountId: string, page: { limit: number; cursor?: string }): Promise<Page<ShortLink>>;
}
