import type { CallbackJob } from '#domain/callbacks/callback';

export interface CallbackQueue {
  enqueue(jobs: readonly CallbackJob[]): Promise<void>;
}

/** An account's callback settings, as the settings route shows them. */
export interface CallbackSettings {
  readonly url?: string;
  /** Every status change of the account's messages is POSTed to `url`. */
  readonly deliveryReports: boolean;
  /** Replies (MO) are POSTed to `url` (the account's `receivesReplies` switch). */
  readonly replies: boolean;
  /** HMAC key of `X-Signature`; created with the first URL, rotated on request. */
  readonly secret?: string;
}

/**
 * Callback settings: the URL and switches live on the account item (the send path reads the account
 * anyway, so a message learns its callback URL for free); the secret lives in its own item, read only
 * by the settings route and the dispatcher.
 */
export interface CallbackSettingsRepository {
  get(accountId: string): Promise<CallbackSettings | undefined>;
  /** `url: null` removes it. Returns undefined when the account does not exist. */
  update(
    accountId: string,
    changes: { url?: string | null; deliveryReports?: boolean; replies?: boolean },
  ): Promise<CallbackSettings | undefined>;
  /** The secret, created if the account has none yet (`rotate`: always a new one). */
  ensureSecret(accountId: string, options?: { rotate?: boolean }): Promise<string>;
  /** The secret only (the dispatcher's read). */
  secret(accountId: string): Promise<string | undefined>;
  setOptOutKeywords(accountId: string, keywords: readonly string[] | null): Promise<boolean>;
}

/** The outcome of one HTTP attempt. */
export type CallbackAttempt = { ok: true; status: number } | { ok: false; status?: number; error: string };

export interface CallbackPoster {
  send(job: CallbackJob, headers: Readonly<Record<string, string>>): Promise<CallbackAttempt>;
}
