import type { Account } from '#domain/account/account';
import type { Message } from '#domain/message/message';
import { formatMoney } from '#domain/money';

/** The public shape of a message (CONTRACT.md: id, status, to, parts, cost, events). */
export function messageView(message: Message) {
  return {
    id: message.id,
    status: message.status,
    to: message.to,
    from: message.from,
    text: message.text,
    encoding: message.encoding,
    parts: message.parts,
    cost: formatMoney(message.cost),
    currency: message.currency,
    createdAt: message.createdAt,
    ...(message.reason === undefined ? {} : { reason: message.reason }),
    ...(message.clientReference === undefined ? {} : { clientReference: message.clientReference }),
    events: message.events.map((e) => ({
      status: e.status,
      at: e.at,
      ...(e.reason ? { reason: e.reason } : {}),
    })),
  };
}

export function accountView(account: Account) {
  return {
    id: account.id,
    name: account.name,
    status: account.status,
    balance: formatMoney(account.balance),
    reserved: formatMoney(account.reserved),
    spent: formatMoney(account.spent),
    currency: account.currency,
    country: account.country,
    timezone: account.timezone,
    senderIds: account.senderIds,
    maxParts: account.maxParts,
    billing: account.billing,
    receivesReplies: account.receivesReplies,
    ...(account.parentId ? { parentId: account.parentId } : {}),
    ...(account.username ? { username: account.username } : {}),
    ...(account.notificationEmail ? { notificationEmail: account.notificationEmail } : {}),
    ...(account.billingDetails ? { billingDetails: account.billingDetails } : {}),
    ...(account.phone ? { phone: account.phone, phoneVerifiedAt: account.phoneVerifiedAt } : {}),
    createdAt: account.createdAt,
  };
}
