import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/**
 * The recipient-facing pages of unsubscribe links: small, self-contained HTML (no scripts, no outside
 * resources), never cached or indexed. Link previews and mail scanners fetch GET, so GET only asks;
 * the number is blocklisted by the form's POST.
 */
const HEADERS = {
  'content-type': 'text/html; charset=utf-8',
  'cache-control': 'no-store',
  'x-robots-tag': 'noindex',
  'content-security-policy': "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'",
  'referrer-policy': 'no-referrer',
};

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(status: number, title: string, body: string): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: HEADERS,
    body: `<!doctype html><html lang="ro"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1"><title>${escapeHtml(title)}</title><style>body{font-family:system-ui,sans-serif;max-width:28rem;margin:3rem auto;padding:0 1rem;line-height:1.5}button{font-size:1rem;padding:.6rem 1.2rem}</style></head><body>${body}</body></html>`,
  };
}

/** `+40722123456` → `+40722***456`: enough for the recipient to recognise, not a directory. */
export const maskNumber = (e164: string) => `${e164.slice(0, 6)}***${e164.slice(-3)}`;

export function confirmPage(code: string, number: string) {
  return page(
    200,
    'Dezabonare / Unsubscribe',
    `<h1>Dezabonare / Unsubscribe</h1><p>Nu mai doriți mesaje de la acest expeditor pe numărul ${escapeHtml(maskNumber(number))}?<br>Stop messages from this sender to ${escapeHtml(maskNumber(number))}?</p><form method="post" action="${escapeHtml(code)}"><button type="submit">Confirm / Confirmă</button></form>`,
  );
}

export function confirmedPage(number: string) {
  return page(
    200,
    'Dezabonat / Unsubscribed',
    `<h1>Dezabonat / Unsubscribed</h1><p>Numărul ${escapeHtml(maskNumber(number))} nu va mai primi mesaje de la acest expeditor.<br>${escapeHtml(maskNumber(number))} will get no more messages from this sender.</p>`,
  );
}

export function notFoundPage() {
  return page(404, 'Link invalid', '<h1>Link invalid</h1><p>This link does not exist or has expired.</p>');
}
