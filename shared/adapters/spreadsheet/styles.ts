/**
 * Which cell styles show numbers as dates, and what date a serial number is.
 *
 * An xlsx stores a date as a number (days since the epoch of the workbook's date system) in a cell
 * whose style has a date number format: one of the built-in ids 14–22 and 45–47 (27–36 and 50–58 in
 * East Asian locales), or a custom `formatCode` with day, month, year, hour or second tokens outside
 * quoted text. Cells are styled through `<cellXfs>` in `xl/styles.xml`.
 */
import { CELL_XFS, CLOSE, END, NEED_MORE, NUM_FMT, OPEN, XF, type XmlTokenizer } from './xml-tokenizer';

const BUILT_IN_DATE_FORMATS = new Set([
  14, 15, 16, 17, 18, 19, 20, 21, 22, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 45, 46, 47, 50, 51, 52, 53, 54,
  55, 56, 57, 58,
]);

/** Whether a custom number format shows a date or a time. */
export function isDateFormat(formatCode: string): boolean {
  const firstSection = formatCode.split(';')[0] ?? '';
  const code = firstSection
    .replace(/"[^"]*"/g, '') // literal text
    .replace(/\\./g, '') // escaped characters
    .replace(/[_*]./g, ''); // spacing and fill characters
  if (/\[(h+|m+|s+)\]/i.test(code)) return true; // elapsed time: [h]:mm
  const bare = code.replace(/\[[^\]]*\]/g, ''); // colours, conditions, locales: [Red] [<10] [$-418]
  if (/^general$/i.test(bare.trim())) return false;
  return /[dmyhs]/i.test(bare);
}

/**
 * For each cellXfs index, 1 when it is a date style. Reads `xl/styles.xml` through `tokens`, which has
 * been fed the whole part and finished.
 */
export function readDateStyles(tokens: XmlTokenizer): Uint8Array {
  const custom = new Map<number, string>();
  const formatOfStyle: number[] = [];
  let inCellXfs = false;
  for (;;) {
    const token = tokens.next();
    if (token === END || token === NEED_MORE) break;
    if (token === OPEN) {
      if (tokens.name === NUM_FMT) {
        const id = Number(tokens.get('numFmtId'));
        const code = tokens.get('formatCode');
        if (Number.isSafeInteger(id) && code !== undefined) custom.set(id, code);
      } else if (tokens.name === CELL_XFS) {
        inCellXfs = !tokens.selfClosing;
      } else if (tokens.name === XF && inCellXfs) {
        formatOfStyle.push(Number(tokens.get('numFmtId') ?? 0));
      }
    } else if (token === CLOSE && tokens.name === CELL_XFS) {
      inCellXfs = false;
    }
  }
  const dateStyles = new Uint8Array(formatOfStyle.length);
  formatOfStyle.forEach((id, style) => {
    const code = custom.get(id);
    dateStyles[style] = (code === undefined ? BUILT_IN_DATE_FORMATS.has(id) : isDateFormat(code)) ? 1 : 0;
  });
  return dateStyles;
}

const DAY_MS = 86_400_000;
const EPOCH_1900 = Date.UTC(1899, 11, 30);
const EPOCH_1904 = Date.UTC(1904, 0, 1);
const LAST_SERIAL_1900 = 2_958_465; // 9999-12-31

/**
 * The date a serial number shows, as a `Date` whose UTC fields are Excel's wall clock, rounded to the
 * millisecond. In the 1900 system Excel counts a 29 February 1900 that never was (serial 60, read here
 * as 28 February): serials below 60 are one day later than a plain count. Undefined for serials Excel
 * shows as `#####` (negative, or past 9999).
 */
export function excelSerialToDate(serial: number, date1904: boolean): Date | undefined {
  if (!Number.isFinite(serial) || serial < 0) return undefined;
  if (date1904) {
    if (serial > LAST_SERIAL_1900 - 1462) return undefined;
    return new Date(EPOCH_1904 + Math.round(serial * DAY_MS));
  }
  if (serial > LAST_SERIAL_1900 + 0.99999999) return undefined;
  const days = serial < 60 ? serial + 1 : serial;
  return new Date(EPOCH_1900 + Math.round(days * DAY_MS));
}
