/**
 * The account's sending timeline. Each chunk of any of its campaigns books the next free stretch of
 * `lengthMs`, so campaigns running at once share the account's parts/s cap instead of adding up.
 */
export interface SendWindows {
  /** Books `lengthMs` starting at max(now, the end of the last booking); answers its start (epoch ms). */
  book(accountId: string, nowMs: number, lengthMs: number): Promise<number>;
}
