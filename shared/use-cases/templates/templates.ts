import type { Account } from '#domain/account/account';
import { Forbidden, MessageRejected, NotFound, ValidationFailed } from '#domain/errors';
import { type RenderResult, renderTemplate } from '#domain/message/template';
import {
  type SavedTemplate,
  TEMPLATE_NAME_MAX,
  TEMPLATE_TEXT_MAX,
  type VisibleTemplate,
} from '#domain/template/saved-template';
import type { Page } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { TemplateRepository } from '#ports/template-repository';

export interface TemplateDeps {
  readonly templates: TemplateRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/** Who asks: the account (from the API key) and, for a subuser, its parent's id. */
export type TemplateCaller = { readonly accountId: string; readonly account: Pick<Account, 'parentId'> };

function checkFields(input: { name?: string; text?: string }) {
  if (input.name !== undefined && (input.name.trim() === '' || input.name.length > TEMPLATE_NAME_MAX)) {
    throw new ValidationFailed(`name must be 1-${TEMPLATE_NAME_MAX} characters`);
  }
  if (input.text !== undefined && (input.text.trim() === '' || input.text.length > TEMPLATE_TEXT_MAX)) {
    throw new ValidationFailed(`text must be 1-${TEMPLATE_TEXT_MAX} characters`);
  }
}

/** Saves a template in the caller's own account. */
export async function createTemplate(
  deps: TemplateDeps,
  caller: TemplateCaller,
  input: { name: string; text: string },
): Promise<VisibleTemplate> {
  checkFields(input);
  const now = deps.clock.now().toISOString();
  const template: SavedTemplate = {
    id: deps.ids.newId(),
    accountId: caller.accountId,
    name: input.name.trim(),
    text: input.text,
    createdAt: now,
    updatedAt: now,
  };
  await deps.templates.create(template);
  return { ...template, inherited: false };
}

/**
 * One template the caller may use: its own, or (for a subuser) its parent's, marked `inherited`.
 * Another account's id is simply not found.
 */
export async function getTemplate(
  deps: Pick<TemplateDeps, 'templates'>,
  caller: TemplateCaller,
  templateId: string,
): Promise<VisibleTemplate> {
  const own = await deps.templates.get(caller.accountId, templateId);
  if (own) return { ...own, inherited: false };
  const parentId = caller.account.parentId;
  const inherited = parentId ? await deps.templates.get(parentId, templateId) : undefined;
  if (inherited) return { ...inherited, inherited: true };
  throw new NotFound('Template not found');
}

/** The caller's own templates, or with `parent` a subuser's view of its parent's (read-only). */
export async function listTemplates(
  deps: Pick<TemplateDeps, 'templates'>,
  caller: TemplateCaller,
  query: { limit: number; cursor?: string; parent?: boolean },
): Promise<Page<VisibleTemplate>> {
  const owner = query.parent ? caller.account.parentId : caller.accountId;
  if (!owner) throw new ValidationFailed('Only a subuser has a parent whose templates it can list');
  const page = await deps.templates.list(owner, {
    limit: query.limit,
    ...(query.cursor ? { cursor: query.cursor } : {}),
  });
  return { ...page, items: page.items.map((t) => ({ ...t, inherited: owner !== caller.accountId })) };
}

/** Renames or rewrites one of the caller's own templates; a parent's is read-only (403). */
export async function updateTemplate(
  deps: TemplateDeps,
  caller: TemplateCaller,
  templateId: string,
  changes: { name?: string; text?: string },
): Promise<VisibleTemplate> {
  checkFields(changes);
  await assertOwn(deps, caller, templateId);
  const updated = await deps.templates.update(caller.accountId, templateId, {
    ...(changes.name === undefined ? {} : { name: changes.name.trim() }),
    ...(changes.text === undefined ? {} : { text: changes.text }),
    updatedAt: deps.clock.now().toISOString(),
  });
  if (!updated) throw new NotFound('Template not found');
  return { ...updated, inherited: false };
}

export async function deleteTemplate(
  deps: Pick<TemplateDeps, 'templates'>,
  caller: TemplateCaller,
  templateId: string,
): Promise<void> {
  await assertOwn(deps, caller, templateId);
  if (!(await deps.templates.remove(caller.accountId, templateId))) throw new NotFound('Template not found');
}

async function assertOwn(deps: Pick<TemplateDeps, 'templates'>, caller: TemplateCaller, templateId: string) {
  const template = await getTemplate(deps, caller, templateId);
  if (template.inherited) {
    throw new Forbidden('TEMPLATE_READ_ONLY', "A parent account's template can be used, not changed");
  }
}

/**
 * A single send's text from a saved template and the caller's `fields` (placeholder → value). Every
 * placeholder must have a field (a typo must not send "Hello ,"): 422 with the names otherwise.
 */
export async function renderSavedTemplate(
  deps: Pick<TemplateDeps, 'templates'>,
  caller: TemplateCaller,
  input: { templateId: string; fields: Readonly<Record<string, string | number>> },
): Promise<string> {
  const template = await getTemplate(deps, caller, input.templateId);
  const result: RenderResult = renderTemplate(template.text, input.fields, { missing: 'error' });
  if (!result.ok) {
    throw new MessageRejected(result.code, `Template fields: ${result.code} (${result.names.join(', ')})`, {
      details: { names: result.names },
    });
  }
  return result.text;
}
