import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
import type { BlocklistImport } from '#domain/blocklist/blocklist-import';
import { templateFields, type VisibleTemplate } from '#domain/template/saved-template';

/** The public shape of a saved template: `fields` are the placeholders a send must fill. */
export function templateView(template: VisibleTemplate) {
  return {
    id: template.id,
    name: template.name,
    text: template.text,
    fields: templateFields(template.text),
    inherited: template.inherited,
    createdAt: template.createdAt,
    updatedAt: template.updatedAt,
  };
}

export function accountBlockView(entry: AccountBlockEntry) {
  return {
    number: entry.number,
    createdAt: entry.createdAt,
    createdBy: entry.createdBy,
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
  };
}

/** `{ items, cursor? }` for a paged listing. */
export function pageView<T, V>(page: { items: readonly T[]; cursor?: string }, view: (item: T) => V) {
  return { items: page.items.map(view), ...(page.cursor === undefined ? {} : { cursor: page.cursor }) };
}

/**
 * An asynchronous blocklist import: its state, its progress while it runs, and once `completed` the
 * report fields of the synchronous answer (rows, added, duplicates, alreadyListed, invalid, invalidRows).
 */
export function blocklistImportView(entry: BlocklistImport) {
  return {
    id: entry.id,
    status: entry.status,
    uploadId: entry.uploadId,
    phoneColumn: entry.phoneColumn,
    firstRow: entry.firstRow,
    ...(entry.sheet === undefined ? {} : { sheet: entry.sheet }),
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    createdAt: entry.createdAt,
    ...(entry.updatedAt === undefined ? {} : { updatedAt: entry.updatedAt }),
    progress: {
      ...(entry.parse ? { rows: entry.parse.rows, chunks: entry.parse.chunks } : {}),
      chunksDone: Object.keys(entry.chunkAdded).length,
    },
    ...(entry.report ?? {}),
    ...(entry.failure === undefined ? {} : { failureReason: entry.failure }),
  };
}
