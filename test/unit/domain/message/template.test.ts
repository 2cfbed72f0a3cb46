import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  checkTemplateColumns,
  compileTemplate,
  parseTemplate,
  placeholderKey,
  plainDecimal,
  renderTemplate,
} from '#domain/message/template';

describe('parseTemplate', () => {
  it('finds placeholders, stops names at punctuation, and turns ## into #', () => {
    // Act
    const parsed = parseTemplate('Salut #nume, comanda #Comanda_ID e gata. ##promo # 5 #! #nume #');
    // Assert
    expect(parsed.text).toBe('Salut #nume, comanda #Comanda_ID e gata. ##promo # 5 #! #nume #');
    expect(parsed.placeholders).toEqual(['nume', 'Comanda_ID']);
    expect(parsed.tokens).toEqual([
      { kind: 'text', text: 'Salut ' },
      { kind: 'placeholder', name: 'nume' },
      { kind: 'text', text: ', comanda ' },
      { kind: 'placeholder', name: 'Comanda_ID' },
      { kind: 'text', text: ' e gata. #promo # 5 #! ' },
      { kind: 'placeholder', name: 'nume' },
      { kind: 'text', text: ' #' },
    ]);
  });

  it.each([
    ['#first-name', ['first'], '-name'],
    ['#Județ.', ['Județ'], '.'],
    ['#judet\u0326ul', ['judet\u0326ul'], ''], // a decomposed mark stays inside the name
    ['###x', ['x'], '#'],
    ['####x', [], '##x'],
    ['a#b', ['b'], 'a'],
    ['#1', ['1'], ''],
    ['#😀', [], '#😀'],
    ['', [], ''],
  ])('%j → placeholders %j', (template, placeholders, literal) => {
    const parsed = parseTemplate(template);
    expect(parsed.placeholders).toEqual(placeholders);
    const text = parsed.tokens.flatMap((token) => (token.kind === 'text' ? [token.text] : [])).join('');
    expect(text).toBe(literal);
  });
});

describe('placeholderKey', () => {
  it.each([
    ['First name', 'firstname'],
    ['first_name', 'firstname'],
    ['FirstName', 'firstname'],
    ['First-Name', 'firstname'],
    ['Județ', 'judet'],
    ['JUDEȚ', 'judet'],
    ['Nr. tel.', 'nrtel'],
    ['İstanbul', 'istanbul'],
    ['___', ''],
  ])('%j → %j', (name, key) => {
    expect(placeholderKey(name)).toBe(key);
  });
});

describe('renderTemplate', () => {
  it('matches headers ignoring case, accents, spaces, underscores and hyphens', () => {
    // Arrange
    const row = { 'First name': 'Ana', Județ: 'Cluj', 'Nr. comandă': 1042 };
    // Act
    const result = renderTemplate(
      '#first_name #FirstName #firstname #First_Name din #judet, #nr_comanda',
      row,
    );
    // Assert
    expect(result).toEqual({ ok: true, text: 'Ana Ana Ana Ana din Cluj, 1042' });
  });

  it('prefers an identical header, and refuses to guess between two that normalise alike', () => {
    // Arrange
    const row = { first_name: 'exact', 'First Name': 'other' };
    // Act / Assert
    expect(renderTemplate('#first_name', row)).toEqual({ ok: true, text: 'exact' });
    expect(renderTemplate('#FirstName', row)).toEqual({
      ok: false,
      code: 'AMBIGUOUS_PLACEHOLDERS',
      names: ['FirstName'],
    });
  });

  it('lists every unknown placeholder once, even when missing values would be empty', () => {
    // Act
    const result = renderTemplate('#prenume #nume #oras #prenume', { Nume: 'Pop' }, { missing: 'empty' });
    // Assert
    expect(result).toEqual({ ok: false, code: 'UNKNOWN_PLACEHOLDERS', names: ['prenume', 'oras'] });
  });

  it('renders missing values empty by default, or fails with the names', () => {
    // Arrange
    const row = { A: null, B: undefined, C: '', D: Number.NaN, E: 'ok' };
    const template = '[#A|#B|#C|#D|#E|#A]';
    // Act / Assert
    expect(renderTemplate(template, row)).toEqual({ ok: true, text: '[||||ok|]' });
    expect(renderTemplate(template, row, { missing: 'error' })).toEqual({
      ok: false,
      code: 'MISSING_VALUES',
      names: ['A', 'B', 'C', 'D'],
    });
  });

  it('writes numbers in plain decimal', () => {
    // Arrange
    const row = { phone: 40722123456, big: 1e21, tiny: 1.5e-7, neg: -0, price: 12.5 };
    // Act
    const result = renderTemplate('#phone #big #tiny #neg #price', row);
    // Assert
    expect(result).toEqual({ ok: true, text: '40722123456 1000000000000000000000 0.00000015 0 12.5' });
  });

  it('does not expand placeholders inside values', () => {
    expect(renderTemplate('Hi #a', { a: '#b', b: 'x' })).toEqual({ ok: true, text: 'Hi #b' });
  });

  it('treats __proto__ as an ordinary header and never reads inherited properties', () => {
    // Arrange: JSON.parse makes "__proto__" an own key, as a file parser building rows may.
    const row = JSON.parse('{"__proto__": "proto value", "Nume": "Ana"}') as Record<string, string>;
    const inherited = Object.create({ Nume: 'inherited' }) as Record<string, string>;
    // Act / Assert
    expect(renderTemplate('#__proto__ #Nume', row)).toEqual({ ok: true, text: 'proto value Ana' });
    expect(renderTemplate('#proto', row)).toEqual({ ok: true, text: 'proto value' });
    for (const name of ['constructor', 'toString', 'hasOwnProperty', '__proto__']) {
      expect(renderTemplate(`#${name}`, { Nume: 'Ana' })).toEqual({
        ok: false,
        code: 'UNKNOWN_PLACEHOLDERS',
        names: [name],
      });
    }
    expect(renderTemplate('#Nume', inherited)).toMatchObject({ ok: false, code: 'UNKNOWN_PLACEHOLDERS' });
    expect(renderTemplate('#Nume', Object.assign(Object.create(null), { Nume: 'Ana' }))).toEqual({
      ok: true,
      text: 'Ana',
    });
  });

  it('renders a template without placeholders as is, with ## unescaped', () => {
    expect(renderTemplate('Reducere 20%! ##vara', {})).toEqual({ ok: true, text: 'Reducere 20%! #vara' });
  });
});

describe('compileTemplate', () => {
  it('binds once and renders many rows', () => {
    // Arrange
    const compiled = compileTemplate('Salut #Prenume!', ['Telefon', 'Prenume']);
    if (!compiled.ok) throw new Error('expected a compiled template');
    // Act
    const texts = [{ Prenume: 'Ana' }, { Prenume: 'Ion' }].map((row) => compiled.render(row));
    // Assert
    expect(texts).toEqual([
      { ok: true, text: 'Salut Ana!' },
      { ok: true, text: 'Salut Ion!' },
    ]);
  });
});

describe('checkTemplateColumns', () => {
  it.each([
    ['Salut #prenume', ['Telefon', 'Prenume'], { ok: true }],
    ['no placeholders', [], { ok: true }],
    ['#oras #Oras #x', ['Telefon'], { ok: false, unknown: ['oras', 'Oras', 'x'], ambiguous: [] }],
    ['#nume #tel', ['Nume', 'NUME', 'Tel'], { ok: false, unknown: [], ambiguous: ['nume'] }],
    ['#___', ['', '___'], { ok: true }], // an identical header matches even when its key is empty
    ['#___', ['', '-'], { ok: false, unknown: ['___'], ambiguous: [] }], // empty keys never match
  ])('%j against %j', (template, headers, expected) => {
    expect(checkTemplateColumns(template, headers)).toEqual(expected);
  });

  it('agrees with renderTemplate on which templates fit a header row', () => {
    const name = fc.stringMatching(/^[A-Za-z_ ăîțș-]{1,8}$/);
    fc.assert(
      fc.property(fc.array(name, { maxLength: 4 }), fc.array(name, { maxLength: 4 }), (headers, used) => {
        const template = used.map((placeholder) => `#${placeholder}`).join(' . ');
        const row = Object.fromEntries(headers.map((header) => [header, 'v']));
        const check = checkTemplateColumns(template, Object.keys(row));
        expect(check.ok).toBe(renderTemplate(template, row).ok);
      }),
      { numRuns: 500 },
    );
  });
});

describe('plainDecimal', () => {
  it.each([
    [0, '0'],
    [-0, '0'],
    [42, '42'],
    [-12.75, '-12.75'],
    [1e21, '1000000000000000000000'],
    [-1.2345e25, '-12345000000000000000000000'],
    [1e-7, '0.0000001'],
    [1.5e-7, '0.00000015'],
    [123456789.125, '123456789.125'],
    [Number.MAX_SAFE_INTEGER, '9007199254740991'],
  ])('%s → %s', (value, expected) => {
    expect(plainDecimal(value)).toBe(expected);
  });

  it('round-trips every finite number and never prints an exponent', () => {
    fc.assert(
      fc.property(fc.double({ noNaN: true, noDefaultInfinity: true }), (value) => {
        const text = plainDecimal(value);
        expect(text).toMatch(/^-?\d+(\.\d+)?$/);
        expect(Number(text)).toBe(value === 0 ? 0 : value);
      }),
      { numRuns: 2000 },
    );
  });

  it('rejects non-finite numbers', () => {
    expect(() => plainDecimal(Number.POSITIVE_INFINITY)).toThrow(RangeError);
  });
});

describe('compileTemplate with unknown: literal (a batch file’s message cells)', () => {
  it('keeps unknown and ambiguous #names as written and still fills the known ones', () => {
    const compiled = compileTemplate('Comanda #123 pt #Nume (#oras, #x)', ['Nume', 'Oraș', 'oras ']);
    expect(compiled.ok).toBe(false);
    const literal = compileTemplate('Comanda #123 pt #Nume (#oras, #x)', ['Nume', 'Oraș', 'oras '], {
      unknown: 'literal',
    });
    if (!literal.ok) throw new Error('literal templates always compile');
    expect(literal.render({ Nume: 'Ana', Oraș: 'Cluj', 'oras ': 'Iasi' })).toEqual({
      ok: true,
      text: 'Comanda #123 pt Ana (#oras, #x)',
    });
  });
});
