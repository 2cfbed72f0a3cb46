import type { Account } from '#domain/account/account';
import { type CallbackJob, inboundCallbackBody } from '#domain/callbacks/callback';
import type { InboundMessage, ReceivedMo } from '#domain/inbound/inbound-message';
import { isOptOut, normaliseKeyword, OPT_OUT_REASON } from '#domain/inbound/opt-out';
import { replyAddress } from '#domain/inbound/reply-address';
import { normalisePhoneNumber } from '#domain/phone/phone-number';
import type { CallbackQueue } from '#ports/callbacks';
import type { InboundRepository, ReplyRoutes, UnmatchedInboundStore } from '#ports/inbound';

export interface ReceiveInboundDeps {
  readonly routes: ReplyRoutes;
  readonly inbound: InboundRepository;
  readonly accounts: { get(accountId: string): Promise<Account | undefined> };
  readonly callbacks: CallbackQueue;
  /** Where a reply that matched no account is kept for the operator; absent = dropped. */
  readonly unmatched?: UnmatchedInboundStore;
  /** Country for an MO sender written without its country code (carriers normally send E.164). */
  readonly defaultCountry: string;
}

export type ReceiveOutcome = 'stored' | 'duplicate' | 'unrouted';

/**
 * Takes one verified inbound SMS (from the inbound queue).
 * 1. Route it: the account our number is dedicated to, else the account that last sent to the replier
 *    from that number (recorded at submission for numeric senders only); neither → unrouted, kept for
 *    the operator (`GET /v1/admin/inbound/unmatched`, 30 days) rather than lost.
 * 2. Store it in the account's replies (once: the id comes from the carrier's id).
 * 3. A whole-message opt-out keyword (the account's, or STOP/DEZABONARE/NU) puts the replier on the
 *    account's blocklist; the send path refuses the number from then on.
 * 4. Forward it to the account's callback URL when the account has replies switched on.
 * Steps 3–4 run again for a redelivered MO (both are safe to repeat; receivers de-duplicate on the id),
 * so a crash between steps loses nothing.
 */
export async function receiveInbound(deps: ReceiveInboundDeps, mo: ReceivedMo): Promise<ReceiveOutcome> {
  const address = replyAddress(mo.to);
  const parsed = normalisePhoneNumber(mo.from, { defaultCountry: deps.defaultCountry, requireMobile: false });
  const from = parsed.ok ? parsed.e164 : mo.from.trim();
  const route = address === undefined ? undefined : await deps.routes.find(address, from);
  const account = route && (await deps.accounts.get(route.accountId));
  if (!route || !account) {
    await deps.unmatched?.save({
      id: inboundId(mo.carrier, mo.carrierId),
      from,
      to: mo.to,
      text: mo.text,
      receivedAt: mo.receivedAt,
      carrier: mo.carrier,
      carrierId: mo.carrierId,
    });
    return 'unrouted';
  }

  const optOut = parsed.ok && isOptOut(mo.text, account.optOutKeywords);
  const inbound: InboundMessage = {
    id: inboundId(mo.carrier, mo.carrierId),
    accountId: account.id,
    from,
    to: mo.to,
    text: mo.text,
    receivedAt: mo.receivedAt,
    carrier: mo.carrier,
    carrierId: mo.carrierId,
    routedBy: route.routedBy,
    ...(route.messageId === undefined ? {} : { inReplyTo: route.messageId }),
    optOut,
  };
  const created = await deps.inbound.save(inbound);
  if (optOut) {
    await deps.inbound.optOut({
      accountId: account.id,
      number: from,
      reason: OPT_OUT_REASON,
      at: mo.receivedAt,
      by: `mo:${normaliseKeyword(mo.text)}`,
    });
  }
  const job = replyCallbackJob(account, inbound);
  if (job) await deps.callbacks.enqueue([job]);
  return created ? 'stored' : 'duplicate';
}

/** A reply's id: the carrier's id made key-safe, so the same MO always maps to the same item. */
export function inboundId(carrier: string, carrierId: string): string {
  return `${carrier}-${Buffer.from(carrierId, 'utf8').toString('base64url')}`;
}

/** The forward of a reply, when the account (or subuser) has replies switched on and a callback URL. */
export function replyCallbackJob(
  account: Pick<Account, 'id' | 'callbackUrl' | 'receivesReplies'>,
  inbound: InboundMessage,
): CallbackJob | undefined {
  if (!account.receivesReplies || !account.callbackUrl) return undefined;
  return {
    accountId: account.id,
    url: account.callbackUrl,
    method: 'POST',
    body: JSON.stringify(inboundCallbackBody(inbound)),
    sign: true,
    eventId: inbound.id,
    type: 'message.inbound',
  };
}
