import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
import type { BlocklistImport } from '#domain/blocklist/blocklist-import';
import type { AccountBlocklistRepository } from '#ports/account-blocklist';
import type { BlocklistImportRepository } from '#ports/blocklist-imports';
import type { ObjectStore } from '#ports/object-store';
import type { OpenSpreadsheet, SheetRow } from '#ports/spreadsheet';

/** The account blocklist as the DynamoDB adapter keeps it: one entry per (account, number), first one wins. */
export class InMemoryAccountBlocklist implements AccountBlocklistRepository {
  readonly entries = new Map<string, AccountBlockEntry>();
  /** addMany calls, to see the rounds a use case makes. */
  addManyCalls = 0;
  private key = (accountId: string, number: string) => `${accountId}/${number}`;

  async get(accountId: string, e164: string) {
    return this.entries.get(this.key(accountId, e164));
  }
  async put(entry: AccountBlockEntry) {
    const created = !this.entries.has(this.key(entry.accountId, entry.number));
    this.entries.set(this.key(entry.accountId, entry.number), entry);
    return { created, entry };
  }
  async addMany(entries: readonly AccountBlockEntry[]) {
    this.addManyCalls++;
    let added = 0;
    let again = 0;
    for (const entry of entries) {
      const existing = this.entries.get(this.key(entry.accountId, entry.number));
      if (!existing) {
        this.entries.set(this.key(entry.accountId, entry.number), entry);
        added++;
      } else if (existing.createdBy === entry.createdBy) again++;
    }
    return { added, again };
  }
  async remove(accountId: string, e164: string) {
    return this.entries.delete(this.key(accountId, e164));
  }
  async list() {
    return { items: [...this.entries.values()] };
  }
}

export class InMemoryBlocklistImports implements BlocklistImportRepository {
  readonly imports = new Map<string, BlocklistImport>();
  async create(entry: BlocklistImport) {
    this.imports.set(`${entry.accountId}/${entry.id}`, entry);
  }
  async get(accountId: string, importId: string) {
    return this.imports.get(`${accountId}/${importId}`);
  }
  async update(
    accountId: string,
    importId: string,
    changes: Partial<BlocklistImport>,
    when: readonly BlocklistImport['status'][],
  ) {
    const found = this.imports.get(`${accountId}/${importId}`);
    if (!found || !when.includes(found.status)) return undefined;
    const updated = { ...found, ...changes };
    this.imports.set(`${accountId}/${importId}`, updated);
    return updated;
  }
  async recordChunk(accountId: string, importId: string, index: number, added: number) {
    const found = this.imports.get(`${accountId}/${importId}`);
    if (found)
      this.imports.set(`${accountId}/${importId}`, {
        ...found,
        chunkAdded: { ...found.chunkAdded, [index]: added },
      });
  }
}

/** Objects by key, as text (uploads and chunks). */
export function memoryFiles() {
  const objects = new Map<string, string>();
  const files = {
    write: async (key: string, body: string | Uint8Array) => {
      objects.set(key, typeof body === 'string' ? body : new TextDecoder().decode(body));
    },
    read: async (key: string) => {
      const text = objects.get(key);
      if (text === undefined) throw new Error(`No object ${key}`);
      return new TextEncoder().encode(text);
    },
    size: async (key: string) => objects.get(key)?.length,
  } as unknown as ObjectStore;
  return { files, objects };
}

/** A comma-separated reader for tests of use cases (the real readers have their own tests). */
export const plainCsv: OpenSpreadsheet = async (bytes) => {
  const lines = new TextDecoder().decode(bytes).split('\n');
  if (lines.at(-1) === '') lines.pop();
  return {
    format: 'csv',
    sheets: [{ name: 'Sheet1', hidden: false, index: 0 }],
    async *rowBatches(options) {
      const rows: SheetRow[] = lines.map((line, i) => ({ rowNumber: i + 1, cells: line.split(',') }));
      const limited = rows.slice(0, options?.maxRows ?? rows.length);
      for (let i = 0; i < limited.length; i += 500) yield limited.slice(i, i + 500);
    },
  };
};
