import { describe, expect, it } from 'vitest';
import type { Batch, BatchRow } from '#domain/batch/batch';
import { EMPTY_PROGRESS } from '#domain/batch/batch';
import type { Contact, ContactGroup } from '#domain/contacts/contact';
import type { ContactGroupRepository } from '#ports/contact-groups';
import type { ObjectStore } from '#ports/object-store';
import { readGroupRecipients } from '#use-cases/batches/group-recipients';
import { phonePrefix } from '#use-cases/contacts/contacts';
import { ChunkWriter, readChunkRows } from '#use-cases/files/sheet-chunks';
import { testAccount } from '../../../support/in-memory';

/** Only what the reader uses: groups by id and their contacts, a page at a time. */
function groups(data: Record<string, { group: Partial<ContactGroup>; contacts: Contact[] }>) {
  return {
    getGroup: async (_account: string, id: string) =>
      data[id] ? ({ id, status: 'ready', fieldNames: [], ...data[id].group } as ContactGroup) : undefined,
    async *streamContacts(_account: string, id: string) {
      const contacts = data[id]?.contacts ?? [];
      for (let i = 0; i < contacts.length; i += 2) yield contacts.slice(i, i + 2);
    },
  } as unknown as ContactGroupRepository;
}

function memoryFiles() {
  const objects = new Map<string, string>();
  const files = {
    write: async (key: string, body: string | Uint8Array) => {
      objects.set(key, typeof body === 'string' ? body : new TextDecoder().decode(body));
    },
    read: async (key: string) => new TextEncoder().encode(objects.get(key) ?? ''),
  } as unknown as ObjectStore;
  return { files, objects };
}

const contact = (phone: string, firstName?: string, fields?: Record<string, string>): Contact => ({
  phone,
  ...(firstName ? { firstName } : {}),
  ...(fields ? { fields } : {}),
  createdAt: '2026-11-24T10:00:00.000Z',
});

function listBatch(ids: string[], text: string): Batch {
  return {
    id: 'b1',
    accountId: 'acc',
    name: 'List',
    status: 'analysing',
    groups: { ids, text },
    options: {
      from: 'Shop',
      speed: 0,
      dedup: true,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
    },
    progress: EMPTY_PROGRESS,
    createdAt: '2026-11-24T10:00:00.000Z',
  };
}

describe('readGroupRecipients (list campaigns)', () => {
  it('writes each number once across groups, later ones as duplicates, texts rendered from contact fields', async () => {
    // Arrange
    const repo = groups({
      a: {
        group: { fieldNames: ['Oraș'] },
        contacts: [contact('+40722000001', 'Ana', { Oraș: 'Iași' }), contact('+40722000002', 'Ion')],
      },
      b: { group: {}, contacts: [contact('+40722000002', 'Ion'), contact('+40722000003', 'Eva')] },
    });
    const { files } = memoryFiles();
    const writer = new ChunkWriter<BatchRow>(files, (i) => `chunk-${i}`);
    // Act
    await readGroupRecipients(
      { contactGroups: repo },
      listBatch(['a', 'b'], 'Salut #Prenume, #oras'),
      writer,
    );
    await writer.flush();
    // Assert
    expect(writer.result()).toMatchObject({ rows: 4, duplicates: 1, invalid: 0 });
    const rows = readChunkRows<BatchRow>(await files.read('chunk-0'));
    expect(rows).toEqual([
      { row: 1, to: '+40722000001', text: 'Salut Ana, Iași', status: 'ok' },
      { row: 2, to: '+40722000002', text: 'Salut Ion, ', status: 'ok' },
      { row: 3, to: '+40722000002', status: 'duplicate' },
      { row: 4, to: '+40722000003', text: 'Salut Eva, ', status: 'ok' },
    ]);
  });

  it('refuses a group that is not ready, and placeholders naming no field', async () => {
    const { files } = memoryFiles();
    const writer = new ChunkWriter<BatchRow>(files, (i) => `chunk-${i}`);
    const repo = groups({
      a: { group: { status: 'importing' }, contacts: [] },
      b: { group: {}, contacts: [] },
    });
    await expect(
      readGroupRecipients({ contactGroups: repo }, listBatch(['a'], 'Hi'), writer),
    ).rejects.toMatchObject({
      code: 'GROUP_NOT_READY',
    });
    await expect(
      readGroupRecipients({ contactGroups: repo }, listBatch(['b'], 'Hi #nickname'), writer),
    ).rejects.toMatchObject({ code: 'UNKNOWN_PLACEHOLDERS' });
  });
});

describe('phonePrefix', () => {
  const caller = { account: testAccount({ country: 'RO' }) };
  it.each([
    ['0722', '+40722'],
    ['+40722', '+40722'],
    ['0040 722', '+40722'],
    ['40722', '+40722'],
    ['', '+'],
  ])('%s → %s', (input, expected) => {
    expect(phonePrefix(caller, input)).toBe(expected);
  });

  it('refuses letters', () => {
    expect(() => phonePrefix(caller, '07a')).toThrow(/digits/);
  });
});
