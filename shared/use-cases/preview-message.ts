import { NotFound } from '#domain/errors';
import { splitText } from '#domain/message/encoding';
import type { AccountRepository } from '#ports/account-repository';
import type { PriceListRepository } from '#ports/price-lists';
import { composeText, priceFor, resolveDestination } from './compose-message';

export interface PreviewMessageDeps {
  readonly accounts: AccountRepository;
  readonly prices: PriceListRepository;
}

/**
 * What a text costs before it is sent (the live counter): encoding, characters, parts, the split into
 * segments, and with a destination the price. Smart encoding is applied only when asked, and the answer
 * says what it changed and what it saved.
 */
export async function previewMessage(
  deps: PreviewMessageDeps,
  query: { accountId: string; text: string; to?: string; smartEncoding?: boolean },
) {
  const account = await deps.accounts.get(query.accountId);
  if (!account) throw new NotFound('Account not found');
  const composed = composeText(query.text, {
    smartEncoding: query.smartEncoding ?? false,
    maxParts: account.maxParts,
  });
  const split = splitText(composed.text);
  const destination = query.to === undefined ? undefined : resolveDestination(query.to, account);
  const price =
    destination === undefined
      ? undefined
      : priceFor(await deps.prices.forAccount(account), destination, split.parts);
  return { split, to: destination, price, smartEncoded: composed.smartEncoded };
}
