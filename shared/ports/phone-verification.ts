/** A code sent to the number an account wants to verify, waiting to be typed back. */
export interface PendingPhoneVerification {
  readonly accountId: string;
  /** E.164. */
  readonly number: string;
  /** Hash of the code (never the code). */
  readonly codeHash: string;
  /** Wrong (or any) codes tried against it so far. */
  readonly attempts: number;
  readonly sentAt: string;
  /** Unix seconds: the code is void after it (and the table's TTL deletes the item). */
  readonly expiresAt: number;
}

/** Free code SMS a day (UTC): per account, and per number whichever accounts ask for it. */
export interface DailyCodeLimits {
  readonly perAccount: number;
  readonly perNumber: number;
}

/** One pending verification per account (a new code replaces the old one). */
export interface PhoneVerificationRepository {
  get(accountId: string): Promise<PendingPhoneVerification | undefined>;
  /**
   * Stores a new code unless the current one is still valid and either locked (`maxAttempts` reached) or
   * sent after `resendAfter`; false then (a concurrent request may have won).
   */
  start(
    pending: PendingPhoneVerification,
    guard: { now: number; resendAfter: string; maxAttempts: number },
  ): Promise<boolean>;
  /** Counts one attempt while the code is valid and under `maxAttempts`: the state after it, else undefined. */
  attempt(accountId: string, now: number, maxAttempts: number): Promise<PendingPhoneVerification | undefined>;
  /** Deletes the pending code if it is still the one with `codeHash`: true for the one call that did. */
  consume(accountId: string, codeHash: string): Promise<boolean>;
  remove(accountId: string): Promise<void>;
  /**
   * Counts one code SMS to `number` for the account on `day` (YYYY-MM-DD, UTC) unless a limit is reached:
   * which one was, else 'ok'. A refused count is not counted (the account's may be, when the number's
   * refuses: a try at a capped number uses the account's allowance).
   */
  countDaily(
    counter: { accountId: string; number: string; day: string },
    limits: DailyCodeLimits,
  ): Promise<'ok' | 'account' | 'number'>;
}
