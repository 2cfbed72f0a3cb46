import type { AccountBlockEntry } from '#domain/blocklist/blocklist';
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
