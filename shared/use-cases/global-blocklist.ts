import { DEFAULT_ACCOUNT_SETTINGS } from '#domain/account/account';
import { InvalidNumber, NotFound } from '#domain/errors';
import { type NormaliseOptions, normalisePhoneNumber } from '#domain/phone/phone-number';
import type { Page } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { GlobalBlockEntry, GlobalBlocklistRepository } from '#ports/global-blocklist';

export interface GlobalBlocklistDeps {
  readonly globalBlocklist: GlobalBlocklistRepository;
  readonly clock: Clock;
}

/**
 * Any valid number of any country (landlines too: blocking one is harmless); national input is read
 * as the platform's home country. The send path compares E.164 strings, so every entry is E.164.
 */
const BLOCK_NUMBER_OPTIONS: NormaliseOptions = {
  defaultCountry: DEFAULT_ACCOUNT_SETTINGS.country,
  requireMobile: false,
};

function toE164(input: string): string {
  const number = normalisePhoneNumber(input, BLOCK_NUMBER_OPTIONS);
  if (!number.ok) {
    throw new InvalidNumber(`Not a valid phone number: ${number.reason}`, {
      details: { reason: number.reason },
    });
  }
  return number.e164;
}

/**
 * The operator blocks a number for every account (complaints, fraud, legal requests).
 * 1. Normalise it to E.164 (`InvalidNumber` otherwise).
 * 2. Add it, or update the reason of an existing entry (`created` says which).
 * From then on every send to it answers 422 BLOCKLISTED and charges nothing.
 */
export async function blockNumberGlobally(
  deps: GlobalBlocklistDeps,
  command: { number: string; reason?: string; by: string },
): Promise<{ created: boolean; entry: GlobalBlockEntry }> {
  const now = deps.clock.now().toISOString();
  return deps.globalBlocklist.put({
    number: toE164(command.number),
    createdAt: now,
    createdBy: command.by,
    updatedAt: now,
    ...(command.reason === undefined ? {} : { reason: command.reason }),
  });
}

/**
 * The operator unblocks a number.
 * 1. Normalise it as when it was blocked. 2. Remove it: 404 when it was not on the list.
 */
export async function unblockNumberGlobally(
  deps: Pick<GlobalBlocklistDeps, 'globalBlocklist'>,
  command: { number: string },
): Promise<void> {
  const removed = await deps.globalBlocklist.remove(toE164(command.number));
  if (!removed) throw new NotFound('The number is not on the global blocklist');
}

/** The global blocklist in number order, one page at a time. */
export function listGlobalBlocklist(
  deps: Pick<GlobalBlocklistDeps, 'globalBlocklist'>,
  page: { limit: number; cursor?: string },
): Promise<Page<GlobalBlockEntry>> {
  return deps.globalBlocklist.list(page);
}
