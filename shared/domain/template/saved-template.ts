import { parseTemplate } from '#domain/message/template';

/**
 * A message text saved under a name, with `#field` placeholders (docs/templates.md), reused by single
 * sends (`templateId` + `fields`), batches and list campaigns. It belongs to one account; a subuser also
 * sees its parent's templates, read-only (docs/templates.md, "Saved templates").
 */
export interface SavedTemplate {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  readonly text: string;
  readonly createdAt: string;
  readonly updatedAt: string;
}

/** A template as one caller sees it: `inherited` when it is the parent's (usable, not editable). */
export interface VisibleTemplate extends SavedTemplate {
  readonly inherited: boolean;
}

export const TEMPLATE_NAME_MAX = 100;
export const TEMPLATE_TEXT_MAX = 10_000;

/** The placeholder names a template expects, for the caller to know which `fields` to give. */
export function templateFields(text: string): string[] {
  return parseTemplate(text).placeholders;
}
