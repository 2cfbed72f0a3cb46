import { describe, expect, it } from 'vitest';
import { contactHeaders, contactTemplateRow, searchText } from '#domain/contacts/contact';
import { compileTemplate } from '#domain/message/template';

describe('contact fields as template headers', () => {
  it('renders built-in fields under their English and Romanian names, and custom fields by name', () => {
    // Arrange
    const template = compileTemplate('#Prenume #lastname (#telefon) din #oras', contactHeaders(['Oraș']));
    if (!template.ok) throw new Error(template.code);
    // Act
    const result = template.render(
      contactTemplateRow({
        phone: '+40722123456',
        firstName: 'Ana',
        lastName: 'Pop',
        fields: { Oraș: 'Iași' },
      }),
    );
    // Assert
    expect(result).toEqual({ ok: true, text: 'Ana Pop (+40722123456) din Iași' });
  });

  it('drops a custom field that shadows a built-in one, so no placeholder becomes ambiguous', () => {
    // Act
    const headers = contactHeaders(['first_name', 'Telefon', 'Oraș', 'Oraș']);
    // Assert
    expect(
      headers.filter((h) => !['Phone', 'Telefon', 'First name', 'Prenume', 'Last name', 'Nume'].includes(h)),
    ).toEqual(['Oraș']);
    expect(compileTemplate('#firstname #telefon', headers).ok).toBe(true);
  });

  it('a placeholder naming no field is unknown (the analysis fails rather than sending "Salut ,")', () => {
    expect(compileTemplate('Salut #Prenum', contactHeaders([]))).toMatchObject({
      ok: false,
      code: 'UNKNOWN_PLACEHOLDERS',
      names: ['Prenum'],
    });
  });

  it('name search text is lower case without accents', () => {
    expect(searchText({ firstName: 'Ștefan', lastName: 'ȚUȚU  Mare' })).toBe('stefan tutu mare');
    expect(searchText({})).toBe('');
  });
});
