import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import fc from 'fast-check';
import { parsePhoneNumberFromString } from 'libphonenumber-js/max';
import { afterEach, describe, expect, it } from 'vitest';
import { outcomeFor } from '../../../local/carrier-simulator/carrier-rules';
import { CHUNK, fileClaim, makeTestNumbers, memoryClaim } from '../../support/test-numbers';

const run = promisify(execFile);
const ENDINGS = ['11', '00', '98', '99', '7', '0', '13', '31'];
const dirs: string[] = [];
function claimsDir() {
  const dir = mkdtempSync(join(tmpdir(), 'test-numbers-unit-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function expectValidRomanianMobile(number: string) {
  const parsed = parsePhoneNumberFromString(number);
  expect({ number, valid: parsed?.isValid(), type: parsed?.getType(), country: parsed?.country }).toEqual({
    number,
    valid: true,
    type: 'MOBILE',
    country: 'RO',
  });
}

describe('test phone numbers unique across an integration run', () => {
  it('10 000 numbers from 4 real worker processes sharing the run directory are distinct and valid', async () => {
    const dir = claimsDir();
    const script = join(import.meta.dirname, '../../support/draw-test-numbers.ts');
    const tsx = join(import.meta.dirname, '../../../node_modules/.bin/tsx');
    const outputs = await Promise.all(
      Array.from({ length: 4 }, () => run(tsx, [script, dir, '2500', ENDINGS.join(',')])),
    );
    const drawn = outputs.flatMap((o) => JSON.parse(o.stdout) as string[]);

    expect(drawn).toHaveLength(10_000);
    expect(new Set(drawn).size).toBe(10_000);
    for (const number of drawn) expectValidRomanianMobile(number);
    // 072 is left to hand-written numbers (0722 123 456, 0722 000 011...).
    expect(drawn.filter((number) => number.startsWith('+4072'))).toEqual([]);
  });

  it('the ending keeps its meaning for the carrier simulator', () => {
    const numbers = makeTestNumbers(memoryClaim());
    for (let i = 0; i < 3 * CHUNK; i++) {
      expect(outcomeFor(numbers.mobile('00'))).toBe('UNDELIV');
      expect(outcomeFor(numbers.mobile('98'))).toBe('EXPIRED');
      expect(outcomeFor(numbers.mobile('99'))).toBe('REJECTD');
      expect(outcomeFor(numbers.mobile())).toBe('DELIVRD');
    }
    // A one-digit ending d ends in 1d: 0 never becomes 00.
    expect(numbers.mobile('0')).toMatch(/10$/);
    expect(numbers.mobile('7')).toMatch(/17$/);
  });

  it('any interleaving of workers and endings draws distinct valid numbers', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.nat(5), fc.constantFrom(...ENDINGS)), { maxLength: 3_000 }),
        fc.nat(40),
        (draws, spread) => {
          // Workers share one claim function as processes share a directory; `spread` chunks are held
          // by someone else, as by workers that already ran.
          const claim = memoryClaim();
          for (let chunk = 0; chunk < spread; chunk++) claim(`11.${chunk * 3}`);
          const workers = Array.from({ length: 6 }, () => makeTestNumbers(claim));
          const drawn = draws.map(([worker, ending]) => workers[worker]?.mobile(ending) ?? '');
          expect(new Set(drawn).size).toBe(drawn.length);
          for (const number of drawn) expect(parsePhoneNumberFromString(number)?.getType()).toBe('MOBILE');
        },
      ),
      { numRuns: 30 },
    );
  });

  it('a block of up to a chunk shares its first five national digits, even after a partial chunk', () => {
    const numbers = makeTestNumbers(memoryClaim());
    for (let i = 0; i < CHUNK - 2; i++) numbers.mobile();
    const block = numbers.mobiles(3);
    const big = numbers.mobiles(CHUNK);
    for (const set of [block, big]) {
      expect(new Set(set.map((n) => n.slice(0, 7))).size).toBe(1);
      expect(new Set(set).size).toBe(set.length);
    }
    expect(numbers.mobiles(2 * CHUNK + 1, '00')).toHaveLength(2 * CHUNK + 1);
  });

  it('short codes are distinct numeric sender ids', () => {
    const claim = fileClaim(claimsDir());
    const [a, b] = [makeTestNumbers(claim), makeTestNumbers(claim)];
    const codes = Array.from({ length: 2 * CHUNK + 10 }, (_, i) => (i % 2 ? a : b).shortCode());
    expect(new Set(codes).size).toBe(codes.length);
    for (const code of codes) expect(code).toMatch(/^1\d{6}$/);
  });

  it('says so, instead of looping, when every chunk of an ending is taken', () => {
    const numbers = makeTestNumbers(() => false);
    expect(() => numbers.mobile('11')).toThrow(/every chunk of '11' is taken/);
  });

  it('refuses an ending it could not keep', () => {
    const numbers = makeTestNumbers(memoryClaim());
    expect(() => numbers.mobile('199')).toThrow(/1 or 2 digits/);
    expect(() => numbers.mobile('')).toThrow(/1 or 2 digits/);
  });
});
