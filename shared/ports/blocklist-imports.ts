import type { BlocklistImport, BlocklistImportStatus } from '#domain/blocklist/blocklist-import';

/** The asynchronous blocklist imports of an account (docs/access-patterns.md). */
export interface BlocklistImportRepository {
  create(entry: BlocklistImport): Promise<void>;
  get(accountId: string, importId: string): Promise<BlocklistImport | undefined>;
  /** Changes the import if its status is one of `when`; undefined when it is not (or is gone). */
  update(
    accountId: string,
    importId: string,
    changes: Partial<Pick<BlocklistImport, 'status' | 'updatedAt' | 'parse' | 'report' | 'failure'>>,
    when: readonly BlocklistImportStatus[],
  ): Promise<BlocklistImport | undefined>;
  /** Records what one chunk added (idempotent: the same chunk records the same value). */
  recordChunk(accountId: string, importId: string, index: number, added: number): Promise<void>;
}
