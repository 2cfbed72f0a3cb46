/**
 * The GSM 03.38 alphabet (3GPP TS 23.038 §6.2.1): the default 7-bit table and its extension table.
 *
 * Why a module of its own: the tables are data from a standard that never changes, while the rules that
 * use them (part counting, splitting, transliteration) do. Everything that needs to know whether a
 * character is GSM-7 asks {@link gsm7Septets}, so there is exactly one copy of the alphabet.
 */

/**
 * The default alphabet in table order: the character at index `n` has GSM code `n`.
 * Index 0x1B is the escape to the extension table, not a character (it is held here as U+001B only to
 * keep the positions; {@link gsm7Septets} treats U+001B in a text as not GSM-7).
 * 0x09 is the capital `Ç` as the standard lists it (the lower-case `ç` is not in the alphabet).
 */
export const GSM7_BASIC_TABLE: string =
  '@£$¥èéùìòÇ\nØø\rÅå' + // 0x00-0x0F
  'Δ_ΦΓΛΩΠΨΣΘΞ\u001bÆæßÉ' + // 0x10-0x1F
  ' !"#¤%&\'()*+,-./' + // 0x20-0x2F
  '0123456789:;<=>?' + // 0x30-0x3F
  '¡ABCDEFGHIJKLMNO' + // 0x40-0x4F
  'PQRSTUVWXYZÄÖÑÜ§' + // 0x50-0x5F
  '¿abcdefghijklmno' + // 0x60-0x6F
  'pqrstuvwxyzäöñüà'; // 0x70-0x7F

/** GSM code of the escape that introduces an extension character (so each one costs 2 septets). */
export const GSM7_ESCAPE = 0x1b;

/**
 * The extension table: `[code after ESC, character]`. Only these ten are defined for the default
 * language; every other ESC sequence is reserved and no text character maps to it.
 */
export const GSM7_EXTENSION_TABLE: readonly (readonly [code: number, char: string])[] = [
  [0x0a, '\f'], // form feed (page break)
  [0x14, '^'],
  [0x28, '{'],
  [0x29, '}'],
  [0x2f, '\\'],
  [0x3c, '['],
  [0x3d, '~'],
  [0x3e, ']'],
  [0x40, '|'],
  [0x65, '€'],
];

/**
 * Septets per UTF-16 code unit: 0 = not GSM-7, 1 = default table, 2 = extension table (ESC + code).
 * One byte for each of the 65 536 code units, so the hot loop does a single bounds-free load per
 * character and never branches on ranges. 64 KiB, built once at module load; kept private so no
 * caller can corrupt it.
 */
const SEPTETS = new Uint8Array(0x10000);
for (let code = 0; code < GSM7_BASIC_TABLE.length; code++) {
  if (code !== GSM7_ESCAPE) SEPTETS[GSM7_BASIC_TABLE.charCodeAt(code)] = 1;
}
for (const [, char] of GSM7_EXTENSION_TABLE) SEPTETS[char.charCodeAt(0)] = 2;

/**
 * How many septets the UTF-16 code unit `unit` costs in GSM-7: 1 (default table), 2 (extension table,
 * sent as ESC + code) or 0 when it has no GSM-7 form, which makes the whole message UCS-2.
 * Surrogates (astral characters such as emoji) are never GSM-7.
 *
 * @param unit a UTF-16 code unit, as `String.prototype.charCodeAt` returns it (0..0xFFFF).
 */
export function gsm7Septets(unit: number): 0 | 1 | 2 {
  return (SEPTETS[unit] ?? 0) as 0 | 1 | 2;
}

/** Whether the single character `char` (one code unit) is in the default table or the extension table. */
export function isGsm7Char(char: string): boolean {
  return char.length === 1 && gsm7Septets(char.charCodeAt(0)) !== 0;
}

/** Whether `char` is one of the ten extension characters (2 septets each, never split from its ESC). */
export function isGsm7Extension(char: string): boolean {
  return char.length === 1 && gsm7Septets(char.charCodeAt(0)) === 2;
}
