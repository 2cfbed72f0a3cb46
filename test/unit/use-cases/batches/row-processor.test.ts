import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BatchMapping, BatchOptions, BatchRow } from '#domain/batch/batch';
import type { CellValue } from '#ports/spreadsheet';
import { BatchFileRejected, rowProcessor } from '#use-cases/batches/row-processor';
import { testAccount } from '../../../support/in-memory';

const OPTIONS: BatchOptions = {
  from: 'Shop',
  speed: 0,
  dedup: false,
  blocklist: true,
  smartEncoding: false,
  missingValues: 'empty',
};

/** The sendSMS `batch_create` layout: to, from, message, client_reference, report_url, then placeholders. */
const HEADERS = ['to', 'from', 'message', 'client_reference', 'report_url', 'Nume', 'Județ'];
const UPSTREAM: BatchMapping = {
  firstRow: 2,
  phoneColumn: 'A',
  senderColumn: 'B',
  messageColumn: 'C',
  messagePlaceholders: true,
  clientReferenceColumn: 'D',
  reportUrlColumn: 'E',
};
const CONTEXT = {
  account: testAccount({ senderIds: ['Shop', 'Promo', '40744111222'] }),
  platformSender: '1898',
};

function process(
  rows: readonly (readonly CellValue[])[],
  options: Partial<BatchOptions> = {},
  mapping: BatchMapping = UPSTREAM,
  headers: readonly string[] = HEADERS,
): BatchRow[] {
  const step = rowProcessor({ options: { ...OPTIONS, ...options } }, mapping, CONTEXT, headers);
  return rows.map((cells, i) => step({ rowNumber: i + 2, cells }));
}

describe('rowProcessor: the row sender column', () => {
  it('uses an approved sender, the platform sender and a numeric one; an empty cell is the batch sender', () => {
    // Arrange
    const rows = [
      ['0722000001', 'Promo', 'a'],
      ['0722000002', '', 'b'],
      ['0722000003', null, 'c'],
      ['0722000004', '1898', 'd'],
      ['0722000005', 40744111222, 'e'],
      ['0722000006', ' +40744111222 ', 'f'],
      ['0722000007', 'Shop', 'g'],
    ];

    // Act
    const out = process(rows);

    // Assert: a row keeps `from` only when it differs from the batch's
    expect(out.map((r) => [r.status, r.from])).toEqual([
      ['ok', 'Promo'],
      ['ok', undefined],
      ['ok', undefined],
      ['ok', '1898'],
      ['ok', '40744111222'],
      ['ok', '40744111222'],
      ['ok', undefined],
    ]);
    expect('from' in (out[1] ?? {})).toBe(false);
  });

  it('makes a row with a sender the account does not own invalid (SENDER_NOT_ALLOWED)', () => {
    const out = process([
      ['0722000001', 'Concurent', 'a'],
      ['0722000002', 'promo', 'b'],
      ['0722000003', 'Bad/Name!', 'c'],
    ]);
    expect(out.map((r) => [r.status, r.reason, r.to])).toEqual([
      ['invalid', 'SENDER_NOT_ALLOWED', '+40722000001'],
      ['invalid', 'SENDER_NOT_ALLOWED', '+40722000002'],
      ['invalid', 'SENDER_NOT_ALLOWED', '+40722000003'],
    ]);
  });
});

describe('rowProcessor: the message cell as a template', () => {
  it('fills #header placeholders from the row, matching headers as compileTemplate does', () => {
    const out = process([
      ['0722000001', '', 'Salut #nume din #judet!', '', '', 'Ana', 'Cluj'],
      ['0722000002', '', 'Salut #NUME din #Județ!', '', '', 'Ion', 'Iași'],
    ]);
    expect(out.map((r) => r.text)).toEqual(['Salut Ana din Cluj!', 'Salut Ion din Iași!']);
  });

  it('keeps unknown #words as written: no rejected file, no invalid row', () => {
    const texts = [
      'Comanda #123 a fost expediata',
      '#1 in Romania',
      'Folositi codul #REDUCERE10 la #nume',
      'Pret: 10# sau ##5',
      'Suna la #',
    ];
    const out = process(texts.map((text, i) => [`072200000${i}`, '', text, '', '', 'Ana', '']));
    expect(out.map((r) => [r.status, r.text])).toEqual([
      ['ok', 'Comanda #123 a fost expediata'],
      ['ok', '#1 in Romania'],
      ['ok', 'Folositi codul #REDUCERE10 la Ana'],
      ['ok', 'Pret: 10# sau #5'],
      ['ok', 'Suna la #'],
    ]);
  });

  it('never takes a mapped column (to, from, message, ...) for a placeholder; an empty value renders empty', () => {
    const out = process([['0722000001', 'Promo', 'Catre #to de la #from: #judet.', 'R1', '', 'Ana', '']]);
    expect(out[0]?.text).toBe('Catre #to de la #from: .');
  });

  it('a text without # is the cell itself (any #word-free text is untouched)', () => {
    fc.assert(
      fc.property(
        fc.string({ minLength: 1 }).filter((t) => !t.includes('#') && t.trim() !== ''),
        (text) => {
          expect(process([['0722000001', '', text]])[0]?.text).toBe(text);
        },
      ),
    );
  });

  it('without messagePlaceholders the cell is sent as it is; a batch text still rejects unknown names', () => {
    const plain = { firstRow: 2, phoneColumn: 'A', messageColumn: 'C' };
    expect(process([['0722000001', '', 'Salut #nume', '', '', 'Ana']], {}, plain)[0]?.text).toBe(
      'Salut #nume',
    );
    expect(() =>
      process([['0722000001']], {}, { firstRow: 2, phoneColumn: 'A', text: 'Salut #prenume' }),
    ).toThrow(BatchFileRejected);
  });
});

describe('rowProcessor: duplicates', () => {
  it('dedupMessages: the same number, text and sender is a duplicate; another text or sender is sent', () => {
    const out = process(
      [
        ['0722000001', '', 'Comanda #123 expediata'],
        ['+40722000001', 'Shop', 'Comanda #123 expediata'],
        ['0722000001', '', 'Comanda #124 expediata'],
        ['0722000001', 'Promo', 'Comanda #123 expediata'],
        ['0722000002', '', 'Salut #nume', '', '', 'Ana'],
        ['0722000002', '', 'Salut #nume', '', '', 'Ion'],
        ['0722000002', '', 'Salut Ana'],
      ],
      { dedupMessages: true },
    );
    expect(out.map((r) => r.status)).toEqual(['ok', 'duplicate', 'ok', 'ok', 'ok', 'ok', 'duplicate']);
  });

  it('dedup (numbers) still drops every later row of a number, and nothing is dropped without either', () => {
    const rows = [
      ['0722000001', '', 'a'],
      ['0722000001', '', 'b'],
      ['0722000001', '', 'a'],
    ];
    expect(process(rows, { dedup: true }).map((r) => r.status)).toEqual(['ok', 'duplicate', 'duplicate']);
    expect(process(rows).map((r) => r.status)).toEqual(['ok', 'ok', 'ok']);
  });
});

describe('rowProcessor: client_reference and report_url', () => {
  it('keeps a client reference of up to 64 characters; a longer one makes the row invalid', () => {
    const out = process([
      ['0722000001', '', 'a', ' ORD-1 '],
      ['0722000002', '', 'b', 'x'.repeat(64)],
      ['0722000003', '', 'c', 'x'.repeat(65)],
      ['0722000004', '', 'd', ''],
    ]);
    expect(out.map((r) => [r.status, r.clientReference ?? r.reason])).toEqual([
      ['ok', 'ORD-1'],
      ['ok', 'x'.repeat(64)],
      ['invalid', 'CLIENT_REFERENCE_TOO_LONG'],
      ['ok', undefined],
    ]);
    expect('clientReference' in (out[3] ?? {})).toBe(false);
  });

  it('keeps an absolute http(s) report URL (with %d); anything else makes the row invalid', () => {
    const out = process([
      ['0722000001', '', 'a', '', 'https://shop.example.ro/dlr?id=1&status=%d'],
      ['0722000002', '', 'b', '', 'http://10.0.0.1:8080/r/%d'],
      ['0722000003', '', 'c', '', 'ftp://shop.example.ro/%d'],
      ['0722000004', '', 'd', '', '/relative/%d'],
      ['0722000005', '', 'e', '', 'https://user:secret@shop.example.ro/%d'],
      ['0722000006', '', 'f', '', ''],
    ]);
    expect(out.map((r) => [r.status, r.reportUrl ?? r.reason])).toEqual([
      ['ok', 'https://shop.example.ro/dlr?id=1&status=%d'],
      ['ok', 'http://10.0.0.1:8080/r/%d'],
      ['invalid', 'INVALID_REPORT_URL'],
      ['invalid', 'INVALID_REPORT_URL'],
      ['invalid', 'INVALID_REPORT_URL'],
      ['ok', undefined],
    ]);
  });

  it('gives a plain row exactly the fields it had before these columns existed', () => {
    const plain = process(
      [['0722000001', 'a']],
      {},
      { firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
      [],
    );
    expect(plain).toEqual([{ row: 2, to: '+40722000001', text: 'a', status: 'ok' }]);
  });
});
