/**
 * Text as XML and OOXML escape it. Both decoders return their input untouched (the same string) when
 * there is nothing to decode, which is nearly always.
 */

/**
 * `&amp; &lt; &gt; &quot; &apos; &#537; &#x219;` → characters. Anything else that starts with `&` is
 * kept as written: a reader of uploads is lenient about what it cannot misread. Character references to
 * lone surrogates are kept as code units, so a writer that escaped an emoji as two references
 * (`&#xD83D;&#xDE00;`) still gives the emoji.
 */
export function decodeEntities(text: string): string {
  let amp = text.indexOf('&');
  if (amp === -1) return text;
  let out = '';
  let last = 0;
  while (amp !== -1) {
    // The longest reference is `&#x10FFFF;`: look no further, so a text of many `&` stays linear.
    let semi = -1;
    for (let i = amp + 1; i < text.length && i <= amp + 10; i++) {
      if (text.charCodeAt(i) === 59 /* ; */) {
        semi = i;
        break;
      }
    }
    const decoded = semi === -1 ? undefined : entity(text, amp + 1, semi);
    if (decoded === undefined) {
      amp = text.indexOf('&', amp + 1);
      continue;
    }
    out += text.slice(last, amp) + decoded;
    last = semi + 1;
    amp = text.indexOf('&', last);
  }
  return out + text.slice(last);
}

function entity(text: string, start: number, end: number): string | undefined {
  if (text.charCodeAt(start) !== 35 /* # */) {
    switch (text.slice(start, end)) {
      case 'amp':
        return '&';
      case 'lt':
        return '<';
      case 'gt':
        return '>';
      case 'quot':
        return '"';
      case 'apos':
        return "'";
      default:
        return undefined;
    }
  }
  const hex = (text.charCodeAt(start + 1) | 0x20) === 120; /* x */
  const digits = text.slice(start + (hex ? 2 : 1), end);
  if (digits.length === 0 || !(hex ? /^[0-9a-f]+$/i : /^[0-9]+$/).test(digits)) return undefined;
  const code = Number.parseInt(digits, hex ? 16 : 10);
  if (code === 0 || code > 0x10ffff) return undefined;
  return code <= 0xffff ? String.fromCharCode(code) : String.fromCodePoint(code);
}

const ESCAPED_CHAR = /_x([0-9A-Fa-f]{4})_/g;

/**
 * OOXML's own escape (ECMA-376 ST_Xstring): Excel writes characters XML cannot hold, such as a carriage
 * return, as `_x000D_`, and a literal `_x000D_` typed by a user as `_x005F_x000D_`.
 */
export function decodeOoxmlEscapes(text: string): string {
  if (text.indexOf('_x') === -1) return text;
  return text.replace(ESCAPED_CHAR, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)));
}
