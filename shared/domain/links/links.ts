/**
 * Links in an SMS: long URLs replaced by the platform's short links (`short=true`, or a URL given in
 * `short` that takes the place of `{short}`), and the per-recipient unsubscribe link (`{gdpr}`). Pure
 * text rules; the codes and where they point are stored by the caller.
 */

/** http(s) URLs as people paste them; trailing punctuation that ends a sentence is not part of it. */
const URL_PATTERN = /\bhttps?:\/\/[^\s<>"]+[^\s<>".,;:!?)\]}'’]/gi;

export const SHORT_PLACEHOLDER = '{short}';

/** The codes of the links one SMS carries: its short links and, with `{gdpr}`, its unsubscribe link. */
export interface LinkCodes {
  readonly short: readonly string[];
  readonly unsubscribe?: string;
}
export const GDPR_PLACEHOLDER = '{gdpr}';

/** The distinct URLs of a text, in order of appearance. */
export function findUrls(text: string): string[] {
  return [...new Set(text.match(URL_PATTERN) ?? [])];
}

/** How `short` asks for shortening: not at all, every URL of the text, or one URL put at `{short}`. */
export type ShortMode = { kind: 'none' } | { kind: 'all' } | { kind: 'url'; url: string };

export function shortMode(value: string | undefined): ShortMode {
  const trimmed = value?.trim() ?? '';
  if (/^https?:\/\/\S+$/i.test(trimmed)) return { kind: 'url', url: trimmed };
  return /^(true|1|on|yes)$/i.test(trimmed) ? { kind: 'all' } : { kind: 'none' };
}

/** The long URLs that `mode` shortens in `text`. */
export function urlsToShorten(text: string, mode: ShortMode): string[] {
  if (mode.kind === 'none') return [];
  if (mode.kind === 'url') return [mode.url];
  return findUrls(text);
}

/**
 * The text with each long URL replaced by its short link; in `url` mode the short link replaces
 * `{short}` (or is appended, after a space, when the text has no placeholder).
 */
export function applyShortLinks(
  text: string,
  mode: ShortMode,
  shortByUrl: ReadonlyMap<string, string>,
): string {
  if (mode.kind === 'none') return text;
  if (mode.kind === 'url') {
    const short = shortByUrl.get(mode.url) ?? mode.url;
    return text.includes(SHORT_PLACEHOLDER) ? text.split(SHORT_PLACEHOLDER).join(short) : `${text} ${short}`;
  }
  return text.replace(URL_PATTERN, (url) => shortByUrl.get(url) ?? url);
}

/** Whether the text wants an unsubscribe link: always for `message_send_gdpr`, else by `{gdpr}`. */
export function wantsUnsubscribe(text: string, always: boolean): boolean {
  return always || text.includes(GDPR_PLACEHOLDER);
}

/** The text with the unsubscribe link at `{gdpr}`, or appended after a space. */
export function applyUnsubscribeLink(text: string, link: string): string {
  return text.includes(GDPR_PLACEHOLDER) ? text.split(GDPR_PLACEHOLDER).join(link) : `${text} ${link}`;
}

/** A short link: where `/l/{code}` redirects, whose message it is in, and how often it was opened. */
export interface ShortLink {
  readonly code: string;
  readonly accountId: string;
  readonly url: string;
  readonly messageId?: string;
  readonly clicks: number;
  readonly createdAt: string;
  readonly lastClickAt?: string;
}

/** An unsubscribe link: one recipient (E.164) of one account; confirmed at most once. */
export interface UnsubscribeLink {
  readonly code: string;
  readonly accountId: string;
  readonly number: string;
  readonly messageId?: string;
  readonly createdAt: string;
  readonly confirmedAt?: string;
}
