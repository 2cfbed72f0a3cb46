import type { Batch } from '#domain/batch/batch';
import type { Message, MessageStatus } from '#domain/message/message';

/** Filters a message search applies to each message. */
export interface MessageFilter {
  readonly status?: MessageStatus;
  /** E.164 destination. */
  readonly to?: string;
  /** Sender id, exactly as sent. */
  readonly from?: string;
}

/**
 * The indexes reports read (docs/access-patterns.md, "Reports"). Batch messages are not listed here:
 * they are read through their batch, by deterministic ids (`MessageRepository.getMany`).
 */
export interface ReportSources {
  /**
   * The account's single messages (those without a batch) whose position (`<createdAt>#<id>`) is in
   * [`from`, `before`), newest first, at most `limit` matching `filter`; `more` when there may be others.
   */
  singles(
    accountId: string,
    query: { from: string; before: string; limit: number; filter: MessageFilter },
  ): Promise<{ items: Message[]; more: boolean }>;
  /** The account's batches created in [`from`, `to`], newest first (all of them). */
  batchesCreated(accountId: string, range: { from: string; to: string }): Promise<Batch[]>;
}
