import type { Account } from '#domain/account/account';
import { blocklistReason } from '#domain/blocklist/blocklist';
import { Blocklisted, InvalidNumber, MessageRejected, NotRoutable } from '#domain/errors';
import { analyseText, checkMaxParts, type TextAnalysis } from '#domain/message/encoding';
import { smartEncode } from '#domain/message/smart-encoding';
import { normalisePhoneNumber } from '#domain/phone/phone-number';
import { type PriceList, quote } from '#domain/pricing/price-list';
import type { BlocklistRepository } from '#ports/account-repository';

export interface ComposedText {
  readonly text: string;
  readonly analysis: TextAnalysis;
  /** Present when smart encoding was asked for: what it changed and what it saved. */
  readonly smartEncoded?: ReturnType<typeof smartEncode>;
}

/** The text as it will be sent: smart-encoded only when asked (never silently), within the part cap. */
export function composeText(
  text: string,
  options: { smartEncoding?: boolean; maxParts: number },
): ComposedText {
  const smart = options.smartEncoding ? smartEncode(text) : undefined;
  const finalText = smart ? smart.text : text;
  const analysis = analyseText(finalText);
  if (analysis.parts === 0) throw new MessageRejected('EMPTY_TEXT', 'The message text is empty');
  const cap = checkMaxParts(analysis, options.maxParts);
  if (!cap.ok) {
    throw new MessageRejected(
      'TOO_MANY_PARTS',
      `The message needs ${cap.parts} parts; the limit is ${cap.maxParts}`,
      {
        details: { parts: cap.parts, maxParts: cap.maxParts },
      },
    );
  }
  return smart ? { text: finalText, analysis, smartEncoded: smart } : { text: finalText, analysis };
}

/** The destination in E.164, or `InvalidNumber` with the reason code. */
export function resolveDestination(to: string, account: Pick<Account, 'country'>): string {
  const number = normalisePhoneNumber(to, { defaultCountry: account.country, requireMobile: true });
  if (!number.ok) {
    throw new InvalidNumber(`Not a valid mobile number: ${number.reason}`, {
      details: { reason: number.reason },
    });
  }
  return number.e164;
}

export function priceFor(priceList: PriceList, e164: string, parts: number) {
  const price = quote(priceList, e164, parts);
  if (!price.ok) throw new NotRoutable(`No route to ${e164}`, { details: { to: e164 } });
  return price;
}

export async function assertNotBlocklisted(
  blocklist: BlocklistRepository,
  accountId: string,
  e164: string,
): Promise<void> {
  const hit = await blocklist.find(accountId, e164);
  if (hit) {
    throw new Blocklisted(`${e164} is on the ${hit === 'global' ? "platform's" : "account's"} blocklist`, {
      details: { list: hit, reason: blocklistReason(hit) },
    });
  }
}
