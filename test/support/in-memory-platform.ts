import type { Account } from '#domain/account/account';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import type { PriceList } from '#domain/pricing/price-list';
import type { RateDecision } from '#domain/rate-limit';
import type { SenderIdRequest } from '#domain/sender/sender-id-request';
import type { AccountChanges, AccountRepository } from '#ports/account-repository';
import type { GlobalBlockEntry, GlobalBlocklistRepository } from '#ports/global-blocklist';
import type { PriceListStore, StoredPriceList } from '#ports/price-list-store';
import type { RateLimiter } from '#ports/rate-limiter';
import type { SenderIdRequestRepository } from '#ports/sender-id-requests';

import { testAccount } from './in-memory';

/**
 * In-memory fakes of the operator-side ports, for use-case unit tests. They keep the adapters'
 * guarantees that the use cases rely on (a decided request stays decided, an absent entry is reported).
 */

export function platformAccount(overrides: Partial<Account> = {}): Account {
  return testAccount({ balance: 10_000, receivesReplies: false, ...overrides });
}

/** Just the account reads and updates the operator's use cases need. */
export class InMemoryAccounts implements Pick<AccountRepository, 'get' | 'update'> {
  readonly byId = new Map<string, Account>();
  constructor(...accounts: Account[]) {
    for (const account of accounts) this.byId.set(account.id, account);
  }
  async get(accountId: string) {
    return this.byId.get(accountId);
  }
  async update(accountId: string, changes: AccountChanges) {
    const account = this.byId.get(accountId);
    if (!account) return undefined;
    const updated = { ...account, ...changes };
    this.byId.set(accountId, updated);
    return updated;
  }
}

export class InMemoryPriceLists implements PriceListStore {
  readonly lists = new Map<string, StoredPriceList>();
  async forAccount(account: Pick<Account, 'priceListId'>): Promise<PriceList> {
    return (
      this.lists.get(account.priceListId ?? 'default') ?? this.lists.get('default') ?? DEFAULT_PRICE_LIST
    );
  }
  async get(id: string) {
    return this.lists.get(id);
  }
  async put(list: StoredPriceList) {
    this.lists.set(list.id, list);
  }
  async list() {
    return [...this.lists.values()];
  }
}

export class InMemorySenderRequests implements SenderIdRequestRepository {
  readonly requests = new Map<string, SenderIdRequest>();
  async create(request: SenderIdRequest) {
    if (this.requests.has(request.id)) throw new Error(`duplicate ${request.id}`);
    this.requests.set(request.id, request);
  }
  async get(id: string) {
    return this.requests.get(id);
  }
  async listForAccount(accountId: string) {
    return [...this.requests.values()].filter((r) => r.accountId === accountId);
  }
  async listByStatus(status: SenderIdRequest['status'], page: { limit: number }) {
    const all = [...this.requests.values()].filter((r) => r.status === status);
    return { items: all.slice(0, page.limit), ...(all.length > page.limit ? { cursor: 'more' } : {}) };
  }
  async decide(id: string, decision: Parameters<SenderIdRequestRepository['decide']>[1]) {
    const request = this.requests.get(id);
    if (request?.status !== 'pending') return request;
    const { status, at, by } = decision;
    const decided: SenderIdRequest = {
      ...request,
      status,
      decidedAt: at,
      decidedBy: by,
      ...(decision.status === 'rejected' ? { reason: decision.reason } : {}),
    };
    this.requests.set(id, decided);
    return decided;
  }
}

export class InMemoryGlobalBlocklist implements GlobalBlocklistRepository {
  readonly entries = new Map<string, GlobalBlockEntry>();
  async list(page: { limit: number }) {
    const all = [...this.entries.values()].sort((a, b) => a.number.localeCompare(b.number));
    return { items: all.slice(0, page.limit), ...(all.length > page.limit ? { cursor: 'more' } : {}) };
  }
  async put(entry: GlobalBlockEntry) {
    const existing = this.entries.get(entry.number);
    const stored = existing
      ? {
          ...existing,
          ...(entry.reason === undefined ? {} : { reason: entry.reason }),
          updatedAt: entry.createdAt,
        }
      : entry;
    this.entries.set(entry.number, stored);
    return { created: existing === undefined, entry: stored };
  }
  async remove(e164: string) {
    return this.entries.delete(e164);
  }
}

/** Answers from a script (default: allowed), recording every call. */
export class ScriptedRateLimiter implements RateLimiter {
  readonly calls: { accountId: string; limit: number }[] = [];
  constructor(private readonly script: RateDecision[] = []) {}
  async take(accountId: string, limit: number) {
    this.calls.push({ accountId, limit });
    return this.script.shift() ?? { ok: true as const };
  }
}
