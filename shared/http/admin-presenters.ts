import type { Account } from '#domain/account/account';
import { formatMoney } from '#domain/money';
import type { PriceList } from '#domain/pricing/price-list';
import type { SenderIdRequest } from '#domain/sender/sender-id-request';
import type { GlobalBlockEntry } from '#ports/global-blocklist';
import { accountView } from './presenters';

/**
 * Public shapes of the operator's and the pricing/sender routes. Money leaves as decimal strings
 * (CONTRACT.md), never as the stored integers.
 */

/**
 * What the operator sees of an account: the customer's view (balance, reserved, spent) plus the
 * settings only the operator changes (price list, request rate, spend limit).
 */
export function adminAccountView(account: Account) {
  return {
    ...accountView(account),
    reserved: formatMoney(account.reserved),
    spent: formatMoney(account.spent),
    priceListId: account.priceListId ?? 'default',
    requestsPerSecond: account.requestsPerSecond,
    partsPerSecond: account.partsPerSecond,
    ...(account.dailySpendLimit === undefined
      ? {}
      : { dailySpendLimit: formatMoney(account.dailySpendLimit) }),
  };
}

export function priceListView(
  list: PriceList & { updatedAt?: string | undefined; updatedBy?: string | undefined; builtIn?: boolean },
) {
  return {
    id: list.id,
    currency: list.currency,
    builtIn: list.builtIn === true,
    ...(list.updatedAt === undefined ? {} : { updatedAt: list.updatedAt }),
    entries: list.entries.map((e) => ({
      prefix: e.prefix,
      price: formatMoney(e.pricePerPart),
      ...(e.network === undefined ? {} : { network: e.network }),
      ...(e.country === undefined ? {} : { country: e.country }),
    })),
  };
}

/** A list in the operator's overview: no entries, just how many. */
export function priceListSummary(list: PriceList & { updatedAt?: string | undefined; builtIn?: boolean }) {
  const { entries: _entries, ...rest } = priceListView(list);
  return { ...rest, entryCount: list.entries.length };
}

/** A request as its account sees it (no operator identity). */
export function senderIdRequestView(request: SenderIdRequest) {
  return {
    id: request.id,
    senderId: request.senderId,
    status: request.status,
    createdAt: request.createdAt,
    ...(request.note === undefined ? {} : { note: request.note }),
    ...(request.decidedAt === undefined ? {} : { decidedAt: request.decidedAt }),
    ...(request.reason === undefined ? {} : { reason: request.reason }),
  };
}

/** A request in the operator's queue: which account asked, and who decided. */
export function adminSenderIdRequestView(request: SenderIdRequest) {
  return {
    ...senderIdRequestView(request),
    accountId: request.accountId,
    ...(request.decidedBy === undefined ? {} : { decidedBy: request.decidedBy }),
  };
}

export function globalBlockView(entry: GlobalBlockEntry) {
  return {
    number: entry.number,
    createdAt: entry.createdAt,
    createdBy: entry.createdBy,
    ...(entry.reason === undefined ? {} : { reason: entry.reason }),
    ...(entry.updatedAt === undefined ? {} : { updatedAt: entry.updatedAt }),
  };
}
