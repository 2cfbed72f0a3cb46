import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import ExcelJS from 'exceljs';
import { afterAll, describe, expect, it } from 'vitest';
import { makeDynamoContactGroupRepository } from '#adapters/dynamodb/contact-group-repository';
import { call, eventually, national, newAccount, stack, mobiles as uniqueMobiles } from '../support/api';
import { upload, XLSX } from '../support/uploads';

interface Group {
  id: string;
  name: string;
  status: string;
  reason?: string;
  contacts: number;
  fieldNames: string[];
  import?: {
    rows: number;
    valid: number;
    invalid: number;
    duplicates: number;
    reasons: Record<string, number>;
  };
}
interface Contact {
  phone: string;
  firstName?: string;
  lastName?: string;
  fields: Record<string, string>;
}
interface Page<T> {
  items: T[];
  cursor?: string;
}

const dynamo = new DynamoDBClient({
  endpoint: stack().endpoints.dynamodb,
  region: 'us-east-1',
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
/** The table as it is, to see that a deleted group's contacts are really purged in the background. */
const table = makeDynamoContactGroupRepository({
  client: DynamoDBDocumentClient.from(dynamo),
  tableName: stack().tableName,
});
afterAll(() => dynamo.destroy());

/** Distinct Romanian mobiles, national format (07x xxx xxxx), sharing their first five digits. */
function mobiles(count: number) {
  return uniqueMobiles(count).map(national);
}
const e164 = (national: string) => `+40${national.slice(1)}`;

async function readyGroup(key: string, id: string) {
  return (
    await eventually(
      () => call<Group>('GET', `/v1/contact-groups/${id}`, { key }),
      (r) => r.body.status !== 'importing',
      { timeoutMs: 45_000 },
    )
  ).body;
}

async function importGroup(key: string, uploadId: string) {
  const created = await call<Group>('POST', '/v1/contact-groups', {
    key,
    body: {
      name: 'Clienți',
      uploadId,
      firstRow: 2,
      phoneColumn: 'A',
      firstNameColumn: 'B',
      lastNameColumn: 'C',
    },
  });
  expect(created.status).toBe(201);
  expect(created.body.status).toBe('importing');
  return readyGroup(key, created.body.id);
}

describe('contact groups imported from an upload', () => {
  it('a csv: valid, invalid (with reasons and row numbers) and duplicates are counted and reviewable', async () => {
    // Arrange: 6 data rows: 4 valid (one repeated), 1 invalid number, 1 duplicate.
    const account = await newAccount('1.0000');
    const [a, b, c, d] = mobiles(4) as [string, string, string, string];
    const csv = [
      'Telefon,Prenume,Nume,Oraș',
      `${a},Ana,Pop,București`,
      `${b},Ștefan,Ionescu,Iași`,
      '0712,Greșit,X,Cluj',
      `${e164(a)},Ana,Pop,București`,
      `${c},Ion,,`,
      `${d},Maria,Dan,Brașov`,
    ].join('\r\n');
    const uploadId = await upload(account.apiKey, csv, 'clienti.csv', 'text/csv');

    // Act
    const group = await importGroup(account.apiKey, uploadId);

    // Assert
    expect(group).toMatchObject({
      status: 'ready',
      contacts: 4,
      fieldNames: ['Oraș'],
      import: { rows: 6, valid: 4, invalid: 1, duplicates: 1 },
    });
    expect(Object.keys(group.import?.reasons ?? {})).toEqual([expect.stringMatching(/^INVALID_NUMBER:/)]);
    const invalid = await call<Page<{ row: number; input: string; reason: string }>>(
      'GET',
      `/v1/contact-groups/${group.id}/import-rows?status=invalid`,
      { key: account.apiKey },
    );
    expect(invalid.body.items).toEqual([
      { row: 4, status: 'invalid', input: '0712', reason: expect.stringMatching(/^INVALID_NUMBER:/) },
    ]);
    const duplicates = await call<Page<{ row: number }>>(
      'GET',
      `/v1/contact-groups/${group.id}/import-rows?status=duplicate`,
      { key: account.apiKey },
    );
    expect(duplicates.body.items.map((r) => r.row)).toEqual([5]);
    const stefan = await call<Contact>('GET', `/v1/contact-groups/${group.id}/contacts/${b}`, {
      key: account.apiKey,
    });
    expect(stefan.body).toMatchObject({
      phone: e164(b),
      firstName: 'Ștefan',
      lastName: 'Ionescu',
      fields: { Oraș: 'Iași' },
    });
  });

  it('an xlsx with numbers as numbers, other columns skipped when asked', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const [a, b, c] = mobiles(3) as [string, string, string];
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('Agenda');
    sheet.addRow(['Nume complet', 'Telefon', 'Note']);
    sheet.addRow(['Ana', Number(`40${a.slice(1)}`), 'VIP']);
    sheet.addRow(['Bogdan', b, null]);
    sheet.addRow(['Fără număr', null, 'x']);
    sheet.addRow(['Bogdan again', b, null]);
    sheet.addRow(['Cristi', c, 'nou']);
    const uploadId = await upload(
      account.apiKey,
      new Uint8Array(await book.xlsx.writeBuffer()),
      'agenda.xlsx',
      XLSX,
    );

    // Act
    const created = await call<Group>('POST', '/v1/contact-groups', {
      key: account.apiKey,
      body: {
        name: 'Agenda',
        uploadId,
        sheet: 'Agenda',
        firstRow: 2,
        phoneColumn: 'B',
        firstNameColumn: 'A',
        otherColumns: 'skip',
      },
    });
    const group = await readyGroup(account.apiKey, created.body.id);

    // Assert
    expect(group).toMatchObject({
      status: 'ready',
      contacts: 3,
      fieldNames: [],
      import: { rows: 5, valid: 3, invalid: 1, duplicates: 1, reasons: { 'INVALID_NUMBER:EMPTY': 1 } },
    });
    const contacts = await call<Page<Contact>>('GET', `/v1/contact-groups/${group.id}/contacts`, {
      key: account.apiKey,
    });
    expect(contacts.body.items.map((x) => [x.phone, x.firstName, x.fields])).toEqual(
      [
        [e164(a), 'Ana', {}],
        [e164(b), 'Bogdan', {}],
        [e164(c), 'Cristi', {}],
      ].sort((x, y) => String(x[0]).localeCompare(String(y[0]))),
    );
  });

  it('a file whose mapping points at no data fails the group with a reason', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const uploadId = await upload(account.apiKey, 'Telefon\r\n', 'gol.csv', 'text/csv');
    // Act
    const created = await call<Group>('POST', '/v1/contact-groups', {
      key: account.apiKey,
      body: { name: 'Gol', uploadId, firstRow: 2, phoneColumn: 'A' },
    });
    const group = await readyGroup(account.apiKey, created.body.id);
    // Assert
    expect(group.status).toBe('failed');
    expect(group.reason).toMatch(/no data rows/i);
  });
});

describe('contacts and groups: edit, search, delete', () => {
  it('add, edit, search by number prefix and name, delete; rename and delete the group', async () => {
    // Arrange
    const account = await newAccount('1.0000');
    const key = account.apiKey;
    const [a, b, c] = mobiles(3) as [string, string, string];
    const created = await call<Group>('POST', '/v1/contact-groups', { key, body: { name: 'Echipa' } });
    expect(created.body).toMatchObject({ status: 'ready', contacts: 0 });
    const path = `/v1/contact-groups/${created.body.id}`;

    // Act + Assert: add (national input → E.164), and the same number again is a conflict
    const added = await call<Contact>('POST', `${path}/contacts`, {
      key,
      body: { phone: a, firstName: 'Ștefan', lastName: 'Mare', fields: { Oraș: 'Suceava' } },
    });
    expect(added.status).toBe(201);
    expect(added.body.phone).toBe(e164(a));
    const again = await call<{ error: { code: string } }>('POST', `${path}/contacts`, {
      key,
      body: { phone: e164(a) },
    });
    expect([again.status, again.body.error.code]).toEqual([409, 'CONTACT_EXISTS']);
    const bad = await call<{ error: { code: string } }>('POST', `${path}/contacts`, {
      key,
      body: { phone: '0212345678' },
    });
    expect([bad.status, bad.body.error.code]).toEqual([422, 'INVALID_NUMBER']);
    await call('POST', `${path}/contacts`, { key, body: { phone: b, firstName: 'Ana' } });
    await call('POST', `${path}/contacts`, { key, body: { phone: '0799000011', firstName: 'Stefania' } });

    // Search: by number prefix (national or E.164), by name without accents
    const byPrefix = await call<Page<Contact>>('GET', `${path}/contacts?phone=${a.slice(0, 5)}`, { key });
    expect(byPrefix.body.items.map((x) => x.phone).sort()).toEqual([e164(a), e164(b)].sort());
    const byName = await call<Page<Contact>>('GET', `${path}/contacts?name=stefan`, { key });
    expect(byName.body.items.map((x) => x.firstName).sort()).toEqual(['Stefania', 'Ștefan']);
    const paged = await call<Page<Contact>>('GET', `${path}/contacts?limit=2`, { key });
    expect(paged.body.items).toHaveLength(2);
    const rest = await call<Page<Contact>>(`GET`, `${path}/contacts?limit=2&cursor=${paged.body.cursor}`, {
      key,
    });
    expect(rest.body.items).toHaveLength(1);

    // Edit: a name, then move to another number
    const edited = await call<Contact>('PATCH', `${path}/contacts/${encodeURIComponent(e164(a))}`, {
      key,
      body: { lastName: 'cel Mare' },
    });
    expect(edited.body).toMatchObject({
      firstName: 'Ștefan',
      lastName: 'cel Mare',
      fields: { Oraș: 'Suceava' },
    });
    const moved = await call<Contact>('PATCH', `${path}/contacts/${a}`, { key, body: { phone: c } });
    expect(moved.body.phone).toBe(e164(c));
    expect((await call('GET', `${path}/contacts/${a}`, { key })).status).toBe(404);
    const taken = await call('PATCH', `${path}/contacts/${c}`, { key, body: { phone: b } });
    expect(taken.status).toBe(409);

    // Delete a contact: counted
    expect((await call('DELETE', `${path}/contacts/${b}`, { key })).status).toBe(204);
    expect((await call('DELETE', `${path}/contacts/${b}`, { key })).status).toBe(404);
    expect((await call<Group>('GET', path, { key })).body.contacts).toBe(2);

    // Rename, list, delete the group
    const renamed = await call<Group>('PATCH', path, { key, body: { name: 'Echipa 2' } });
    expect(renamed.body.name).toBe('Echipa 2');
    const listed = await call<Page<Group>>('GET', '/v1/contact-groups', { key });
    expect(listed.body.items.map((g) => g.name)).toEqual(['Echipa 2']);
    const deleted = await call<Group>('DELETE', path, { key });
    expect([deleted.status, deleted.body.status]).toEqual([202, 'deleting']);
    expect((await call('GET', path, { key })).status).toBe(404);
    expect((await call<Page<Group>>('GET', '/v1/contact-groups', { key })).body.items).toEqual([]);
    await eventually(
      async () => ({
        group: await table.getGroup(account.id, created.body.id),
        contacts: (await table.listContacts(account.id, created.body.id, { limit: 10 })).items.length,
      }),
      (left) => left.group === undefined && left.contacts === 0,
    );
  });
});

describe('isolation', () => {
  it("another account gets 404 on every contact-group route; a subuser does not see its parent's groups", async () => {
    // Arrange
    const a = await newAccount('1.0000', { requestsPerSecond: 1000 });
    const b = await newAccount('1.0000');
    const [n] = mobiles(1) as [string];
    const group = await call<Group>('POST', '/v1/contact-groups', { key: a.apiKey, body: { name: 'A' } });
    const path = `/v1/contact-groups/${group.body.id}`;
    await call('POST', `${path}/contacts`, { key: a.apiKey, body: { phone: n, firstName: 'A' } });
    const sub = await call<{ apiKey: string }>('POST', '/v1/subusers', {
      key: a.apiKey,
      body: { username: `cg-${a.id}`, password: 'correct horse battery', billing: 'separate' },
    });
    const cases: [string, string, unknown?][] = [
      ['GET', path],
      ['PATCH', path, { name: 'B was here' }],
      ['DELETE', path],
      ['GET', `${path}/import-rows`],
      ['POST', `${path}/contacts`, { phone: mobiles(1)[0] }],
      ['GET', `${path}/contacts`],
      ['GET', `${path}/contacts/${n}`],
      ['PATCH', `${path}/contacts/${n}`, { firstName: 'B' }],
      ['DELETE', `${path}/contacts/${n}`],
    ];

    // Act
    const answers = [];
    for (const key of [b.apiKey, sub.body.apiKey]) {
      for (const [method, url, body] of cases) {
        answers.push([method, url, (await call(method, url, { key, ...(body ? { body } : {}) })).status]);
      }
    }

    // Assert
    expect(answers).toEqual([...cases, ...cases].map(([method, url]) => [method, url, 404]));
    expect((await call<Page<Group>>('GET', '/v1/contact-groups', { key: b.apiKey })).body.items).toEqual([]);
    expect(
      (await call<Page<Group>>('GET', '/v1/contact-groups', { key: sub.body.apiKey })).body.items,
    ).toEqual([]);
    const still = await call<Group>('GET', path, { key: a.apiKey });
    expect(still.body).toMatchObject({ name: 'A', status: 'ready', contacts: 1 });
    const contact = await call<Contact>('GET', `${path}/contacts/${n}`, { key: a.apiKey });
    expect(contact.body.firstName).toBe('A');
  });
});
