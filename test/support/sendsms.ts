import { newAccount, stack } from './api';

/** The upstream's answer, as the plugins read it. */
export interface SendsmsAnswer<D = unknown> {
  status: number;
  message: string;
  details: D;
}

/** PHP's `http_build_query($params, '', '&', PHP_QUERY_RFC1738)`: spaces as `+`, RFC 1738 escapes. */
export function httpBuildQuery(params: Record<string, string | number>): string {
  return Object.entries(params)
    .map(([name, value]) => `${phpUrlencode(name)}=${phpUrlencode(String(value))}`)
    .join('&');
}

/** PHP's `urlencode`: everything but `[A-Za-z0-9_.-]` percent-encoded (UTF-8), space as `+`. */
export function phpUrlencode(value: string): string {
  return [...Buffer.from(value, 'utf8')]
    .map((byte) => {
      const char = String.fromCharCode(byte);
      if (/[A-Za-z0-9_.-]/.test(char)) return char;
      if (byte === 0x20) return '+';
      return `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
    })
    .join('');
}

/** One `/json` call: GET with the query, or POST with `body` (a form string or FormData). */
export async function sendsms<D = unknown>(
  query: string,
  options: { body?: string | FormData; contentType?: string; headers?: Record<string, string> } = {},
): Promise<{ http: number; body: SendsmsAnswer<D> }> {
  const headers: Record<string, string> = { ...options.headers };
  if (typeof options.body === 'string')
    headers['content-type'] = options.contentType ?? 'application/x-www-form-urlencoded';
  const response = await fetch(`${stack().apiUrl}/json${query ? `?${query}` : ''}`, {
    method: options.body === undefined ? 'GET' : 'POST',
    headers,
    ...(options.body === undefined ? {} : { body: options.body }),
  });
  return { http: response.status, body: (await response.json()) as SendsmsAnswer<D> };
}

/** A fresh account with a username and password for the sendSMS-compatible API. */
export async function newSendsmsAccount(credit = '10.0000', extra: Record<string, unknown> = {}) {
  const username = `shop${Math.random().toString(36).slice(2, 10)}`;
  const password = 'Parola-Magazin 2024!';
  const account = await newAccount(credit, { username, password, ...extra });
  return { ...account, username, password };
}
