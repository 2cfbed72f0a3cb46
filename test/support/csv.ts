/**
 * A strict RFC 4180 reader for the tests' own checks of written CSV: CRLF records, quoted fields with
 * doubled quotes, CR and LF allowed only inside quotes. Throws on anything else, so a writer that
 * strays from the RFC fails the test instead of being read leniently.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  let record: string[] = [];
  let i = 0;
  while (i < text.length) {
    let field = '';
    if (text[i] === '"') {
      i++;
      for (;;) {
        if (i >= text.length) throw new Error('Unterminated quoted field');
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            field += '"';
            i += 2;
            continue;
          }
          i++;
          break;
        }
        field += text[i++];
      }
    } else {
      while (i < text.length && text[i] !== ',' && text[i] !== '\r' && text[i] !== '\n') {
        if (text[i] === '"') throw new Error(`Bare quote in an unquoted field at ${i}`);
        field += text[i++];
      }
    }
    record.push(field);
    if (text[i] === ',') {
      i++;
      continue;
    }
    if (text.startsWith('\r\n', i)) {
      records.push(record);
      record = [];
      i += 2;
      continue;
    }
    if (i < text.length) throw new Error(`Expected , or CRLF at ${i}, found ${JSON.stringify(text[i])}`);
  }
  if (record.length > 0) throw new Error('The last record has no CRLF');
  return records;
}

/** The characters that make a spreadsheet program evaluate a cell (OWASP CSV injection). */
export const TRIGGER_CHARS = ['=', '+', '-', '@', '\t', '\r'];

/** A cell a spreadsheet program would evaluate: it starts with a trigger and is not `'`-guarded. */
export function isUnguarded(cell: string): boolean {
  return TRIGGER_CHARS.includes(cell.charAt(0));
}
