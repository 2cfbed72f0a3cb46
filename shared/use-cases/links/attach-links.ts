import type { LinkCodes } from '#domain/links/links';
import type { LinkRepository } from '#ports/link-repository';

/**
 * Attempts of the API's own attach. Each attempt is already one SDK call with the SDK's standard retries
 * (3 attempts, exponential backoff with jitter, on throttling, 5xx and network errors), so a second one,
 * after a pause, only outlasts a longer blip; more would hold back the answer of a send already accepted.
 */
const ATTEMPTS = 2;
const BACKOFF_MS = 200;

const pause = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * After the send of a message with links was accepted: makes its links permanent (removes their TTL).
 * Never throws: the message is accepted and charged, so its caller must get its id, not an error to retry
 * (a retry would send it twice). When every attempt fails it answers `false` and the durable path takes
 * over: the message carries its codes (`Message.links`, written with it), and the sender attaches them
 * before submitting it (`submitMessage`), retrying through the send queue until it succeeds.
 */
export async function attachLinks(
  deps: { readonly links: Pick<LinkRepository, 'attachMessage'> },
  codes: LinkCodes,
  messageId: string,
  options: { readonly attempts?: number; readonly backoffMs?: number } = {},
): Promise<{ attached: true } | { attached: false; error: unknown }> {
  const attempts = options.attempts ?? ATTEMPTS;
  let error: unknown;
  for (let attempt = 0; attempt < attempts; attempt++) {
    if (attempt > 0) await pause((options.backoffMs ?? BACKOFF_MS) * 2 ** (attempt - 1));
    try {
      await deps.links.attachMessage(codes, messageId);
      return { attached: true };
    } catch (caught) {
      error = caught;
    }
  }
  return { attached: false, error };
}
