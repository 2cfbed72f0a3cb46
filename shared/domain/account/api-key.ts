/**
 * API keys look like `sk_<keyId>_<secret>`. The key id is the table key of the stored record (a fast,
 * single GetItem); only a hash of the secret is stored, and the key is shown once at creation.
 */
export interface ParsedApiKey {
  readonly keyId: string;
  readonly secret: string;
}

const KEY_PATTERN = /^sk_([A-Za-z0-9]{16})_([A-Za-z0-9_-]{32,64})$/;

export function parseApiKey(token: string): ParsedApiKey | undefined {
  const match = KEY_PATTERN.exec(token);
  if (!match?.[1] || !match[2]) return undefined;
  return { keyId: match[1], secret: match[2] };
}

export function formatApiKey(key: ParsedApiKey): string {
  return `sk_${key.keyId}_${key.secret}`;
}

/** The bearer token of an `Authorization` header, or undefined. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
  return match?.[1];
}
