import type { Account, BillingDetails } from '#domain/account/account';
import type { LedgerEntry, StoredApiKey } from '#ports/account-repository';
import { accountKey, apiKeyKey, ledgerKey, subuserListKey } from './keys';

/** Account → item. Item shapes never leave the adapter. */
export function accountItem(account: Account) {
  return {
    ...accountKey(account.id),
    ...(account.parentId ? subuserListKey(account.parentId, account.createdAt) : {}),
    entityType: 'account',
    version: 1,
    ...account,
  };
}

export function toAccount(item: Record<string, unknown>): Account {
  const optional = <K extends string>(key: K) =>
    item[key] === undefined || item[key] === null ? {} : ({ [key]: item[key] } as Record<K, never>);
  return {
    id: String(item.id),
    name: String(item.name),
    status: item.status === 'suspended' ? 'suspended' : 'active',
    country: String(item.country),
    timezone: String(item.timezone),
    currency: String(item.currency),
    balance: Number(item.balance ?? 0),
    reserved: Number(item.reserved ?? 0),
    spent: Number(item.spent ?? 0),
    senderIds: Array.isArray(item.senderIds) ? item.senderIds.map(String) : [],
    maxParts: Number(item.maxParts),
    createdAt: String(item.createdAt),
    billing: item.billing === 'parent' ? 'parent' : 'separate',
    receivesReplies: item.receivesReplies === true,
    requestsPerSecond: Number(item.requestsPerSecond ?? 50),
    partsPerSecond: Number(item.partsPerSecond ?? 100),
    ...optional('parentId'),
    ...optional('username'),
    ...optional('passwordHash'),
    ...optional('notificationEmail'),
    ...optional('priceListId'),
    ...optional('dailySpendLimit'),
    ...(item.billingDetails ? { billingDetails: item.billingDetails as BillingDetails } : {}),
    ...optional('callbackUrl'),
    ...(item.deliveryCallbacks === true ? { deliveryCallbacks: true } : {}),
    ...(Array.isArray(item.optOutKeywords) ? { optOutKeywords: item.optOutKeywords.map(String) } : {}),
    ...optional('phone'),
    ...optional('phoneVerifiedAt'),
  };
}

export function ledgerItem(entry: LedgerEntry) {
  return {
    ...ledgerKey(entry.accountId, entry.at, entry.id),
    entityType: 'ledgerEntry',
    version: 1,
    ...entry,
  };
}

export function toLedgerEntry(item: Record<string, unknown>): LedgerEntry {
  const { pk: _pk, sk: _sk, entityType: _e, version: _v, ...entry } = item;
  return entry as unknown as LedgerEntry;
}

export function apiKeyItem(key: StoredApiKey) {
  return {
    ...apiKeyKey(key.keyId),
    gsi1pk: `ACCOUNT#${key.accountId}#KEYS`,
    gsi1sk: key.createdAt,
    entityType: 'apiKey',
    version: 1,
    ...key,
  };
}

export function toApiKey(item: Record<string, unknown>): StoredApiKey {
  return {
    keyId: String(item.keyId),
    accountId: String(item.accountId),
    secretHash: String(item.secretHash),
    status: item.status === 'active' ? 'active' : 'revoked',
    createdAt: String(item.createdAt),
    ...(item.name === undefined ? {} : { name: String(item.name) }),
  };
}
