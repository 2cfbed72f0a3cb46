import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  FORMULA_TRIGGERS,
  guardText,
  phoneDigits,
  safeCell,
} from '#adapters/spreadsheet-writer/formula-guard';
import { isUnguarded, TRIGGER_CHARS } from '../../../support/csv';

describe('guardText: the OWASP CSV-injection rule', () => {
  it('knows exactly the six trigger characters', () => {
    expect([...FORMULA_TRIGGERS].sort()).toEqual([...TRIGGER_CHARS].sort());
  });

  it.each([
    // Every trigger character, alone and leading a payload.
    ['=', "'="],
    ['+', "'+"],
    ['-', "'-"],
    ['@', "'@"],
    ['\t', "'\t"],
    ['\r', "'\r"],
    ['=HYPERLINK("http://evil","x")', '\'=HYPERLINK("http://evil","x")'],
    ['+1+1', "'+1+1"],
    ["-2+3+cmd|' /C calc'!A0", "'-2+3+cmd|' /C calc'!A0"],
    ['@SUM(A1)', "'@SUM(A1)"],
    ['\t=1+1', "'\t=1+1"],
    ['\r=1+1', "'\r=1+1"],
    ['-0.5', "'-0.5"],
    // Not triggers: left as they are.
    ['', ''],
    ['Salut Ștefan din Iași!', 'Salut Ștefan din Iași!'],
    ['a=1+1', 'a=1+1'],
    [' =1+1', ' =1+1'],
    ['\n=1+1', '\n=1+1'],
    ["'=already quoted", "'=already quoted"],
    ['＝1+1', '＝1+1'],
    ['0722000011', '0722000011'],
    ['😀=1', '😀=1'],
  ])('%j → %j', (input, expected) => {
    expect(guardText(input)).toBe(expected);
  });

  it('never lets a trigger lead, and only ever adds one quote', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const guarded = guardText(text);
        expect(isUnguarded(guarded)).toBe(false);
        expect([text, `'${text}`]).toContain(guarded);
      }),
    );
  });
});

describe('the phone rule: E.164 is written as its digits', () => {
  it.each([
    ['+40722000011', '40722000011'],
    ['+12025550123', '12025550123'],
    ['+447700900123', '447700900123'],
    ['+123456789012345', '123456789012345'],
    // Not E.164: ordinary text, guarded like any other.
    ['+1234567890123456', "'+1234567890123456"],
    ['+0722000011', "'+0722000011"],
    ['+40 722 000 011', "'+40 722 000 011"],
    ['+40722000011=1', "'+40722000011=1"],
    ['0722000011', '0722000011'],
    ['=1+1', "'=1+1"],
  ])('%j → %j', (input, expected) => {
    expect(phoneDigits(input)).toBe(expected);
  });
});

describe('safeCell: one rule for every cell, by column kind', () => {
  it.each([
    ['number', 7, 7],
    ['number', 0, 0],
    ['number', 1.5, 1.5],
    ['number', -5, "'-5"],
    ['number', Number.NaN, 'NaN'],
    ['number', Number.NEGATIVE_INFINITY, "'-Infinity"],
    ['number', '-1', "'-1"],
    ['text', 3, '3'],
    ['text', '+1+1', "'+1+1"],
    ['text', undefined, undefined],
    ['text', '', undefined],
    ['phone', '+40722000011', '40722000011'],
    ['phone', '@evil', "'@evil"],
    ['phone', undefined, undefined],
  ] as const)('%s %j → %j', (kind, value, expected) => {
    expect(safeCell(kind, value)).toBe(expected);
  });
});
