/**
 * Opt-out keywords: a reply whose whole text is one of them (ignoring case, diacritics, surrounding
 * spaces and trailing punctuation) takes the sender off the account's audience. Whole-message only, so
 * "Nu pot ajunge mâine" is a reply, not an opt-out; "nu", "Nu!" and " STOP. " are opt-outs.
 */
export const DEFAULT_OPT_OUT_KEYWORDS: readonly string[] = ['STOP', 'DEZABONARE', 'NU'];

/** Keywords an account may configure: a short list of short words, so a check stays cheap. */
export const MAX_OPT_OUT_KEYWORDS = 20;
export const MAX_OPT_OUT_KEYWORD_LENGTH = 30;

/** The reason recorded on the blocklist entry an opt-out creates (shown in reports). */
export const OPT_OUT_REASON = 'opt-out (STOP reply)';

/**
 * The comparable form of a keyword or a reply: NFKD with combining marks dropped (ș → s, Ă → A; the
 * legacy cedilla forms ş ţ decompose the same way), upper case, inner whitespace collapsed, and
 * surrounding whitespace and punctuation trimmed.
 */
export function normaliseKeyword(text: string): string {
  return text
    .normalize('NFKD')
    .replace(/\p{M}/gu, '')
    .toUpperCase()
    .replace(/\s+/gu, ' ')
    .replace(/^[\s\p{P}\p{S}]+|[\s\p{P}\p{S}]+$/gu, '');
}

/** Whether the reply's whole text is one of the keywords (`DEFAULT_OPT_OUT_KEYWORDS` when none are set). */
export function isOptOut(text: string, keywords: readonly string[] | undefined): boolean {
  const reply = normaliseKeyword(text);
  if (reply === '') return false;
  return (keywords && keywords.length > 0 ? keywords : DEFAULT_OPT_OUT_KEYWORDS).some(
    (keyword) => normaliseKeyword(keyword) === reply,
  );
}

/**
 * Cleans a keyword list an account submits: normalised, empty ones dropped, duplicates removed.
 * Returns a reason instead when the list is unusable.
 */
export function cleanOptOutKeywords(
  keywords: readonly string[],
): { ok: true; keywords: string[] } | { ok: false; reason: string } {
  const cleaned = [...new Set(keywords.map(normaliseKeyword).filter((k) => k !== ''))];
  if (cleaned.length === 0) return { ok: false, reason: 'at least one keyword is needed' };
  if (cleaned.length > MAX_OPT_OUT_KEYWORDS)
    return { ok: false, reason: `at most ${MAX_OPT_OUT_KEYWORDS} keywords` };
  if (cleaned.some((k) => k.length > MAX_OPT_OUT_KEYWORD_LENGTH))
    return { ok: false, reason: `a keyword has at most ${MAX_OPT_OUT_KEYWORD_LENGTH} characters` };
  return { ok: true, keywords: cleaned };
}
