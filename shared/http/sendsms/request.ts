import { TextDecoder } from 'node:util';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';

/** The parameters of one `/json` request: every field as text, uploaded files as bytes. */
export interface SendsmsRequest {
  readonly params: Readonly<Record<string, string>>;
  readonly files: Readonly<Record<string, Uint8Array>>;
}

/** A request the facade cannot read (unknown charset, malformed multipart): answered with -4. */
export class UnreadableRequest extends Error {}

/**
 * Parameters from the query string and from a form body (`application/x-www-form-urlencoded` or
 * `multipart/form-data`), body winning, as PHP's `$_REQUEST` (request_order "GP") does upstream.
 * `charset` (e.g. ISO-8859-2) says how the percent-encoded bytes of the query and of a urlencoded body
 * are to be read: the decoding is done here rather than by URLSearchParams, which only knows UTF-8.
 */
export async function readSendsmsRequest(
  event: Pick<APIGatewayProxyEventV2, 'rawQueryString' | 'body' | 'isBase64Encoded' | 'headers'>,
): Promise<SendsmsRequest> {
  const body =
    event.body === undefined
      ? Buffer.alloc(0)
      : Buffer.from(event.body, event.isBase64Encoded ? 'base64' : 'utf8');
  const contentType = (event.headers?.['content-type'] ?? '').toLowerCase();
  const urlencodedBody = contentType.startsWith('application/x-www-form-urlencoded')
    ? body.toString('utf8')
    : '';
  const charset =
    rawField(urlencodedBody, 'charset') ?? rawField(event.rawQueryString ?? '', 'charset') ?? 'utf-8';
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(charset, { fatal: false });
  } catch {
    throw new UnreadableRequest(`Unknown charset ${charset.slice(0, 40)}`);
  }
  const params: Record<string, string> = {};
  const files: Record<string, Uint8Array> = {};
  for (const [name, value] of decodeForm(event.rawQueryString ?? '', decoder)) params[name] = value;
  for (const [name, value] of decodeForm(urlencodedBody, decoder)) params[name] = value;
  if (contentType.startsWith('multipart/form-data') && body.length > 0) {
    let form: FormData;
    try {
      // The platform's own multipart parser (undici's, behind fetch's Request), not a hand-written one.
      form = await new Request('http://localhost/', {
        method: 'POST',
        headers: { 'content-type': event.headers?.['content-type'] ?? '' },
        body,
      }).formData();
    } catch {
      throw new UnreadableRequest('The multipart body could not be read');
    }
    for (const [name, value] of form) {
      if (typeof value === 'string') params[name] = value;
      else files[name] = new Uint8Array(await value.arrayBuffer());
    }
  }
  return { params, files };
}

/** One field of a form-encoded string before decoding (for `charset`, which is ASCII). */
function rawField(form: string, name: string): string | undefined {
  for (const pair of form.split('&')) {
    const at = pair.indexOf('=');
    if (at > 0 && pair.slice(0, at) === name) {
      const value = decodeURIComponent(pair.slice(at + 1).replace(/\+/g, ' ')).trim();
      return value === '' ? undefined : value;
    }
  }
  return undefined;
}

/** `a=1&b=%C8%98` → pairs, `+` as space, percent-escapes decoded as bytes in `decoder`'s charset. */
export function decodeForm(form: string, decoder: TextDecoder): [string, string][] {
  const pairs: [string, string][] = [];
  for (const pair of form.split('&')) {
    if (pair === '') continue;
    const at = pair.indexOf('=');
    const name = decodePart(at === -1 ? pair : pair.slice(0, at), decoder);
    const value = at === -1 ? '' : decodePart(pair.slice(at + 1), decoder);
    if (name !== '') pairs.push([name, value]);
  }
  return pairs;
}

function decodePart(part: string, decoder: TextDecoder): string {
  const text = part.replace(/\+/g, ' ');
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const char = text.charCodeAt(i);
    if (char === 0x25 && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 1, i + 3))) {
      bytes.push(Number.parseInt(text.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (char < 0x80) {
      bytes.push(char);
    } else {
      // A raw non-ASCII character (a client that did not escape it): keep it as UTF-8.
      const point = text.codePointAt(i) ?? char;
      bytes.push(...Buffer.from(String.fromCodePoint(point), 'utf8'));
      if (point > 0xffff) i++;
    }
  }
  return decoder.decode(Uint8Array.from(bytes));
}
