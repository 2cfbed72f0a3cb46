import { isCallbackUrl } from '#domain/callbacks/callback';
import { NotFound, ValidationFailed } from '#domain/errors';
import type { InboundMessage } from '#domain/inbound/inbound-message';
import { cleanOptOutKeywords, DEFAULT_OPT_OUT_KEYWORDS } from '#domain/inbound/opt-out';
import type { Page } from '#ports/account-repository';
import type { CallbackSettings, CallbackSettingsRepository } from '#ports/callbacks';
import type { InboundFilter, InboundRepository } from '#ports/inbound';
import type { Caller } from '../accounts';

/** The caller's replies, newest first (its own only: the key starts with the caller's account id). */
export function listInbound(
  deps: { inbound: InboundRepository },
  caller: Caller,
  filter: InboundFilter,
): Promise<Page<InboundMessage>> {
  if (filter.from && filter.to && filter.from >= filter.to) {
    throw new ValidationFailed('from must be before to');
  }
  return deps.inbound.list(caller.accountId, filter);
}

export async function getCallbackSettings(
  deps: { settings: CallbackSettingsRepository },
  caller: Caller,
): Promise<CallbackSettings> {
  const settings = await deps.settings.get(caller.accountId);
  if (!settings) throw new NotFound('Account not found');
  // A send may name its own callback URL before the account sets one: the secret exists from the first look.
  return settings.secret
    ? settings
    : { ...settings, secret: await deps.settings.ensureSecret(caller.accountId) };
}

/**
 * Changes the caller's callback URL and switches.
 * 1. Validate the URL (absolute http(s), no credentials).
 * 2. Store URL and switches on the account item.
 * 3. With a URL set, make sure a signing secret exists (or rotate it on request) and show it.
 */
export async function updateCallbackSettings(
  deps: { settings: CallbackSettingsRepository },
  caller: Caller,
  command: { url?: string | null; deliveryReports?: boolean; replies?: boolean; rotateSecret?: boolean },
): Promise<CallbackSettings> {
  if (typeof command.url === 'string' && !isCallbackUrl(command.url)) {
    throw new ValidationFailed('url must be an absolute http(s) URL without credentials');
  }
  const { rotateSecret, ...changes } = command;
  const updated = await deps.settings.update(caller.accountId, changes);
  if (!updated) throw new NotFound('Account not found');
  if (!updated.url && !rotateSecret) return updated;
  const secret = await deps.settings.ensureSecret(caller.accountId, { rotate: rotateSecret === true });
  return { ...updated, secret };
}

export function optOutKeywordsOf(caller: Caller): { keywords: readonly string[]; isDefault: boolean } {
  const own = caller.account.optOutKeywords;
  return own && own.length > 0
    ? { keywords: own, isDefault: false }
    : { keywords: DEFAULT_OPT_OUT_KEYWORDS, isDefault: true };
}

/** Sets the caller's opt-out keywords (`null`: back to the defaults). */
export async function setOptOutKeywords(
  deps: { settings: CallbackSettingsRepository },
  caller: Caller,
  keywords: readonly string[] | null,
): Promise<{ keywords: readonly string[]; isDefault: boolean }> {
  if (keywords === null) {
    if (!(await deps.settings.setOptOutKeywords(caller.accountId, null)))
      throw new NotFound('Account not found');
    return { keywords: DEFAULT_OPT_OUT_KEYWORDS, isDefault: true };
  }
  const cleaned = cleanOptOutKeywords(keywords);
  if (!cleaned.ok) throw new ValidationFailed(`keywords: ${cleaned.reason}`);
  if (!(await deps.settings.setOptOutKeywords(caller.accountId, cleaned.keywords))) {
    throw new NotFound('Account not found');
  }
  return { keywords: cleaned.keywords, isDefault: false };
}
