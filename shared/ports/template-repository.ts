import type { SavedTemplate } from '#domain/template/saved-template';
import type { Page } from './account-repository';

/** Saved templates, always addressed inside one account's partition. */
export interface TemplateRepository {
  create(template: SavedTemplate): Promise<void>;
  get(accountId: string, templateId: string): Promise<SavedTemplate | undefined>;
  /** In creation order (ids sort by creation). */
  list(accountId: string, page: { limit: number; cursor?: string }): Promise<Page<SavedTemplate>>;
  /** Undefined when the template does not exist. */
  update(
    accountId: string,
    templateId: string,
    changes: { name?: string; text?: string; updatedAt: string },
  ): Promise<SavedTemplate | undefined>;
  /** False when it did not exist. */
  remove(accountId: string, templateId: string): Promise<boolean>;
}
