/**
 * `#column` placeholders in message texts, filled from a file's rows (personalised campaigns, batch
 * `text`, saved templates). Marketing users type the placeholder by hand from what they see in Excel, so
 * matching is forgiving about case, accents and separators but never guesses between two columns.
 * The rules, with examples, are in docs/templates.md; in short:
 *
 * - A placeholder is `#` followed by the longest run of letters, digits, combining marks and `_`:
 *   in `#nume, salut` the name is `nume`; in `#first-name` it is `first` (`-` ends a name).
 * - `##` is a literal `#`. A `#` not followed by a name character (`# 5`, `#!`, a final `#`) is literal.
 * - Name ↔ header: an identical header wins; otherwise both are reduced to a key — lower case, accents
 *   and every character that is not a letter or digit removed — so `#first_name`, `#FirstName`,
 *   `#firstname` all match the header "First name", and `#judet` matches "Județ".
 *   Two headers with the same key and no identical one → ambiguous (an error, never a guess).
 * - Values: strings as they are; numbers in plain decimal (never an exponent); `null`, `undefined`,
 *   `''` and non-finite numbers are missing — rendered empty, or an error with `missing: 'error'`.
 */

export type TemplateRow = Readonly<Record<string, string | number | null | undefined>>;

export type TemplateToken = { kind: 'text'; text: string } | { kind: 'placeholder'; name: string };

export interface ParsedTemplate {
  /** The template as given. */
  text: string;
  /** Distinct placeholder names as written (without `#`), in order of first appearance. */
  placeholders: string[];
  /** The template cut into literal text (with `##` already turned into `#`) and placeholders. */
  tokens: TemplateToken[];
}

export type RenderResult =
  | { ok: true; text: string }
  | {
      ok: false;
      code: 'UNKNOWN_PLACEHOLDERS' | 'AMBIGUOUS_PLACEHOLDERS' | 'MISSING_VALUES';
      names: string[];
    };

export interface RenderOptions {
  /** What a missing value becomes: `'empty'` (default) renders nothing, `'error'` fails the row. */
  missing?: 'empty' | 'error';
}

const NAME_RUN = /[\p{L}\p{M}\p{N}_]+/uy;
const NOT_KEY_CHAR = /[^\p{L}\p{N}]/gu;

/** Split a template into literal text and placeholders; pure syntax, no headers involved. */
export function parseTemplate(text: string): ParsedTemplate {
  const tokens: TemplateToken[] = [];
  const placeholders: string[] = [];
  let literal = '';
  let i = 0;
  while (i < text.length) {
    const hash = text.indexOf('#', i);
    if (hash === -1) break;
    literal += text.slice(i, hash);
    NAME_RUN.lastIndex = hash + 1;
    const name = text.charAt(hash + 1) === '#' ? undefined : NAME_RUN.exec(text)?.[0];
    if (name === undefined) {
      literal += '#';
      i = text.charAt(hash + 1) === '#' ? hash + 2 : hash + 1;
      continue;
    }
    if (literal !== '') tokens.push({ kind: 'text', text: literal });
    literal = '';
    tokens.push({ kind: 'placeholder', name });
    if (!placeholders.includes(name)) placeholders.push(name);
    i = hash + 1 + name.length;
  }
  literal += text.slice(i);
  if (literal !== '') tokens.push({ kind: 'text', text: literal });
  return { text, placeholders, tokens };
}

/** The matching key of a placeholder name or a header: lower case, letters and digits only, no accents. */
export function placeholderKey(name: string): string {
  return name.toLowerCase().normalize('NFD').replace(NOT_KEY_CHAR, '');
}

type Resolution = { header: string } | { problem: 'unknown' | 'ambiguous' };

function resolve(name: string, headers: readonly string[]): Resolution {
  const exact = headers.filter((header) => header === name);
  const key = placeholderKey(name);
  const matches = exact.length > 0 ? exact : headers.filter((h) => key !== '' && placeholderKey(h) === key);
  const [first] = matches;
  if (first === undefined) return { problem: 'unknown' };
  return matches.length === 1 ? { header: first } : { problem: 'ambiguous' };
}

/** A template bound to a file's headers, to render many rows without re-parsing. */
export type CompiledTemplate =
  | { ok: true; render(row: TemplateRow, options?: RenderOptions): RenderResult }
  | { ok: false; code: 'UNKNOWN_PLACEHOLDERS' | 'AMBIGUOUS_PLACEHOLDERS'; names: string[] };

export interface CompileOptions {
  /**
   * A placeholder that names no header (or two): `'error'` (default) fails the whole template;
   * `'literal'` keeps it as written — for free text typed per row (a batch file's message cells), where
   * "Comanda #123" or "#1 in Romania" is text, not a typo of a column.
   */
  unknown?: 'error' | 'literal';
}

/** Bind `template` to `headers` once per file; unknown and ambiguous placeholders are found here. */
export function compileTemplate(
  template: string,
  headers: readonly string[],
  compileOptions: CompileOptions = {},
): CompiledTemplate {
  const { tokens, placeholders } = parseTemplate(template);
  const columns = new Map<string, string>();
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const name of placeholders) {
    const resolution = resolve(name, headers);
    if ('header' in resolution) columns.set(name, resolution.header);
    else (resolution.problem === 'unknown' ? unknown : ambiguous).push(name);
  }
  const literal = compileOptions.unknown === 'literal';
  if (!literal && unknown.length > 0) return { ok: false, code: 'UNKNOWN_PLACEHOLDERS', names: unknown };
  if (!literal && ambiguous.length > 0)
    return { ok: false, code: 'AMBIGUOUS_PLACEHOLDERS', names: ambiguous };
  return {
    ok: true,
    render(row, options) {
      let text = '';
      const missing: string[] = [];
      for (const token of tokens) {
        if (token.kind === 'text') {
          text += token.text;
          continue;
        }
        const header = columns.get(token.name);
        if (header === undefined) {
          text += `#${token.name}`;
          continue;
        }
        const value = formatValue(Object.hasOwn(row, header) ? row[header] : undefined);
        if (value === undefined && !missing.includes(token.name)) missing.push(token.name);
        text += value ?? '';
      }
      if (missing.length > 0 && options?.missing === 'error') {
        return { ok: false, code: 'MISSING_VALUES', names: missing };
      }
      return { ok: true, text };
    },
  };
}

/**
 * Render one row whose keys are the file's header strings. Placeholders matching no key fail with
 * `UNKNOWN_PLACEHOLDERS` even when `missing` is `'empty'`: a typo must not send "Hello ," to everyone.
 * Only the row's own keys count (a `#constructor` placeholder never reaches `Object.prototype`).
 */
export function renderTemplate(template: string, row: TemplateRow, options?: RenderOptions): RenderResult {
  const compiled = compileTemplate(template, Object.keys(row));
  return compiled.ok ? compiled.render(row, options) : compiled;
}

/** Check a template against a file's header row before any row is rendered (the batch wizard's check). */
export function checkTemplateColumns(
  template: string,
  headers: readonly string[],
): { ok: true } | { ok: false; unknown: string[]; ambiguous: string[] } {
  const unknown: string[] = [];
  const ambiguous: string[] = [];
  for (const name of parseTemplate(template).placeholders) {
    const resolution = resolve(name, headers);
    if ('problem' in resolution) (resolution.problem === 'unknown' ? unknown : ambiguous).push(name);
  }
  return unknown.length === 0 && ambiguous.length === 0 ? { ok: true } : { ok: false, unknown, ambiguous };
}

function formatValue(value: string | number | null | undefined): string | undefined {
  if (typeof value === 'string') return value === '' ? undefined : value;
  if (typeof value === 'number') return Number.isFinite(value) ? plainDecimal(value) : undefined;
  return undefined;
}

/**
 * A finite number in plain decimal, as a spreadsheet shows it: `1e21` → "1000000000000000000000",
 * `1.5e-7` → "0.00000015", `-0` → "0". `String(n)` gives the shortest round-trip digits; only its
 * exponent is expanded, so no digit is invented or lost.
 */
export function plainDecimal(value: number): string {
  if (!Number.isFinite(value)) throw new RangeError(`Not a finite number: ${value}`);
  const text = String(value === 0 ? 0 : value);
  const e = text.indexOf('e');
  if (e === -1) return text;
  const negative = text.startsWith('-');
  const mantissa = text.slice(negative ? 1 : 0, e);
  const dot = mantissa.indexOf('.');
  const digits = mantissa.replace('.', '');
  const point = (dot === -1 ? mantissa.length : dot) + Number(text.slice(e + 1));
  const plain =
    point <= 0
      ? `0.${'0'.repeat(-point)}${digits}`
      : point >= digits.length
        ? digits + '0'.repeat(point - digits.length)
        : `${digits.slice(0, point)}.${digits.slice(point)}`;
  return (negative ? '-' : '') + plain;
}
