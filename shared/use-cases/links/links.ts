import { NotFound } from '#domain/errors';
import {
  applyShortLinks,
  applyUnsubscribeLink,
  type LinkCodes,
  type ShortLink,
  type ShortMode,
  urlsToShorten,
} from '#domain/links/links';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { LinkRepository } from '#ports/link-repository';
import { type AccountBlocklistDeps, addToBlocklist } from '../blocklist/account-blocklist';

export interface LinkDeps {
  readonly links: LinkRepository;
  readonly ids: IdGenerator;
  readonly clock: Clock;
}

/** Short-link codes: 62^8 ≈ 2·10^14, enough that guessing one is pointless (it only redirects). */
const SHORT_CODE_LENGTH = 8;
/** Unsubscribe codes act on a recipient's behalf: 62^16, never guessable. */
const UNSUBSCRIBE_CODE_LENGTH = 16;
/**
 * How long links live that no accepted message took out (the send was refused: blocklisted, no credit,
 * invalid number…): the table's TTL deletes them. `attachMessage` removes the TTL of the sent ones.
 */
export const PENDING_LINK_SECONDS = 24 * 60 * 60;

export interface PreparedLinks {
  /** The text as it will be priced and sent: short links and the unsubscribe link in place. */
  readonly text: string;
  readonly codes: LinkCodes;
}

/**
 * The links of one outgoing SMS, stored before it is sent so they work the moment it arrives.
 * 1. Each long URL that `short` selects gets a code; `/l/<code>` will redirect to it, counting clicks.
 * 2. With `unsubscribe`, the recipient gets a code of its own; `/u/<code>` asks them to confirm and
 *    then blocklists their number for this account.
 * 3. The text is rewritten with those links; that text is what the send prices.
 * The links are written first, with a TTL (`PENDING_LINK_SECONDS`), so a refused send leaves nothing
 * behind for long; after the accepted send, `attachLinks` makes them permanent, and the sender does it
 * again before submitting (the message records the codes), so a failed attach never leaves a sent SMS
 * with links that expire. (Writing them only after the send would leave a window where the SMS is out but
 * its links do not exist yet, and an SMS with dead links if that write failed.)
 */
export async function prepareLinks(
  deps: LinkDeps,
  input: {
    accountId: string;
    to: string;
    text: string;
    short: ShortMode;
    unsubscribe: boolean;
    baseUrl: string;
  },
): Promise<PreparedLinks> {
  const now = deps.clock.now().toISOString();
  const expiresAt = Math.floor(deps.clock.now().getTime() / 1000) + PENDING_LINK_SECONDS;
  const shortLinks: ShortLink[] = urlsToShorten(input.text, input.short).map((url) => ({
    code: deps.ids.newToken(SHORT_CODE_LENGTH),
    accountId: input.accountId,
    url,
    clicks: 0,
    createdAt: now,
  }));
  if (shortLinks.length > 0) await deps.links.createShortLinks(shortLinks, expiresAt);
  let text = applyShortLinks(
    input.text,
    input.short,
    new Map(shortLinks.map((link) => [link.url, `${input.baseUrl}/l/${link.code}`])),
  );
  let unsubscribe: string | undefined;
  if (input.unsubscribe) {
    unsubscribe = deps.ids.newToken(UNSUBSCRIBE_CODE_LENGTH);
    await deps.links.createUnsubscribeLink(
      {
        code: unsubscribe,
        accountId: input.accountId,
        number: input.to,
        createdAt: now,
      },
      expiresAt,
    );
    text = applyUnsubscribeLink(text, `${input.baseUrl}/u/${unsubscribe}`);
  }
  return {
    text,
    codes: { short: shortLinks.map((link) => link.code), ...(unsubscribe ? { unsubscribe } : {}) },
  };
}

/** Where a short link goes; the click is counted (on the link, so per message). */
export async function followShortLink(
  deps: Pick<LinkDeps, 'links' | 'clock'>,
  code: string,
): Promise<string> {
  const link = await deps.links.click(code, deps.clock.now().toISOString());
  if (!link) throw new NotFound('No such link');
  return link.url;
}

/** The unsubscribe link behind a code (for the confirmation page). */
export async function getUnsubscribeLink(deps: Pick<LinkDeps, 'links'>, code: string) {
  const link = await deps.links.getUnsubscribeLink(code);
  if (!link) throw new NotFound('No such link');
  return link;
}

/**
 * The recipient confirmed: their number goes on the sending account's blocklist (every later send of
 * that account to it is refused), and the link records when. Confirming twice changes nothing more.
 */
export async function confirmUnsubscribe(
  deps: Pick<LinkDeps, 'links' | 'clock'> & Pick<AccountBlocklistDeps, 'accountBlocklist'>,
  code: string,
) {
  const link = await getUnsubscribeLink(deps, code);
  await addToBlocklist(
    deps,
    // The stored number is already E.164, so the country (for national numbers) never applies.
    { accountId: link.accountId, account: { country: 'RO' } },
    { number: link.number, reason: 'Unsubscribe link', by: 'recipient' },
  );
  await deps.links.confirmUnsubscribe(code, deps.clock.now().toISOString());
  return link;
}
