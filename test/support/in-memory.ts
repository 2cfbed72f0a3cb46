import type { Account } from '#domain/account/account';
import { type Batch, EMPTY_PROGRESS } from '#domain/batch/batch';
import { InsufficientCredit } from '#domain/errors';
import { isSubmittable, type Message, type MessageStatus, STATUS_RANK } from '#domain/message/message';
import type { AccountRepository, BlocklistRepository, LedgerEntry } from '#ports/account-repository';
import type { CarrierGateway, CarrierSubmission, SubmitResult } from '#ports/carrier-gateway';
import type { Clock } from '#ports/clock';
import type { IdGenerator, SecretHasher } from '#ports/ids';
import {
  finalizeLedgerEntry,
  type IdempotencyRecord,
  type MessageRepository,
} from '#ports/message-repository';
import type { SendJob, SendQueue } from '#ports/queues';

type StoredMessage = Message & {
  claimedAt?: string;
  closed?: boolean;
  partStates: Record<string, MessageStatus>;
};

/**
 * In-memory ports for use-case unit tests only (the integration tests use DynamoDB Local). They keep
 * the same guarantees as the DynamoDB adapters: conditional reservation, forward-only status, money
 * settled or refunded once. State is shared; `accountRepo`, `messageRepo` and `blocklistRepo` are the ports.
 */
export class InMemoryStore {
  readonly accounts = new Map<string, Account>();
  readonly messages = new Map<string, StoredMessage>();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly ledger: LedgerEntry[] = [];
  readonly blocked = new Set<string>();
  private readonly operations = new Set<string>();

  readonly accountRepo: AccountRepository = {
    get: async (accountId) => this.accounts.get(accountId),
    create: async (account) => {
      this.accounts.set(account.id, account);
    },
    credit: async (entry) => {
      if (this.operations.has(entry.id)) return this.mustAccount(entry.accountId).balance;
      const account = this.mustAccount(entry.accountId);
      if (account.balance + entry.amount < 0) throw new InsufficientCredit('short');
      this.operations.add(entry.id);
      this.apply(entry);
      return account.balance + entry.amount;
    },
    update: async (accountId, changes) => {
      const account = this.accounts.get(accountId);
      if (!account) return undefined;
      const updated = { ...account, ...changes } as Account;
      this.accounts.set(accountId, updated);
      return updated;
    },
    transfer: async ({ id, from, to, amount, by, at }) => {
      if (this.operations.has(`transfer:${id}`)) return;
      if (this.mustAccount(from).balance < amount) throw new InsufficientCredit('short');
      this.mustAccount(to);
      this.operations.add(`transfer:${id}`);
      this.apply({
        id: `${id}:out`,
        accountId: from,
        amount: -amount,
        kind: 'transfer-out',
        reason: '',
        by,
        at,
      });
      this.apply({ id: `${id}:in`, accountId: to, amount, kind: 'transfer-in', reason: '', by, at });
    },
    ledger: async (accountId) => ({ items: this.ledger.filter((e) => e.accountId === accountId).reverse() }),
    findByUsername: async (username) =>
      [...this.accounts.values()].find((a) => a.username?.toLowerCase() === username.toLowerCase()),
    listSubusers: async (parentId) => [...this.accounts.values()].filter((a) => a.parentId === parentId),
  };

  readonly messageRepo: MessageRepository = {
    createWithCharge: async ({ message, charge, idempotency }) => {
      if (idempotency) {
        const existing = this.idempotency.get(`${idempotency.accountId}/${idempotency.key}`);
        if (existing) return { created: false as const, existing };
      }
      const funder = this.mustAccount(message.fundedBy);
      if (funder.status !== 'active' || funder.balance < message.cost) throw new InsufficientCredit('short');
      this.apply(charge);
      this.messages.set(`${message.accountId}/${message.id}`, { ...message, partStates: {} });
      if (idempotency) this.idempotency.set(`${idempotency.accountId}/${idempotency.key}`, idempotency);
      return { created: true as const };
    },
    get: async (accountId, messageId) => {
      const m = this.messages.get(`${accountId}/${messageId}`);
      return m ? strip(m) : undefined;
    },
    getMany: async (accountId, messageIds) =>
      [...new Set(messageIds)].flatMap((id) => {
        const m = this.messages.get(`${accountId}/${id}`);
        return m ? [strip(m)] : [];
      }),
    getIdempotency: async (accountId, key) => this.idempotency.get(`${accountId}/${key}`),
    advance: async (accountId, messageId, event, extra) => this.move(accountId, messageId, event, extra),
    finalize: async (message, event, money) => {
      const m = this.messages.get(`${message.accountId}/${message.id}`);
      if (!m || m.closed || STATUS_RANK[m.status] >= STATUS_RANK[event.status]) return undefined;
      this.apply(finalizeLedgerEntry(message, money));
      const moved = this.move(message.accountId, message.id, event);
      const stored = this.messages.get(`${message.accountId}/${message.id}`);
      if (stored) this.messages.set(`${message.accountId}/${message.id}`, { ...stored, closed: true });
      return moved;
    },
    claimForSubmission: async (accountId, messageId, at) => {
      const m = this.messages.get(`${accountId}/${messageId}`);
      if (!m || !isSubmittable(m.status)) {
        return { outcome: 'not-submittable' as const, message: undefined };
      }
      const already = m.claimedAt !== undefined;
      this.messages.set(`${accountId}/${messageId}`, { ...m, claimedAt: at });
      return { outcome: already ? ('already-claimed' as const) : ('claimed' as const), message: strip(m) };
    },
    // The batch message's conditional Put (claim and seal alike): no item, or a claim given back.
    createSubmitted: async (message) => {
      const existing = this.messages.get(`${message.accountId}/${message.id}`);
      if (existing && existing.status !== 'queued')
        return { created: false as const, existing: strip(existing) };
      this.messages.set(`${message.accountId}/${message.id}`, { ...message, partStates: {} });
      return { created: true as const };
    },
    sealUnsent: async (messages) =>
      messages.flatMap((message) => {
        const existing = this.messages.get(`${message.accountId}/${message.id}`);
        if (existing && existing.status !== 'queued') return [strip(existing)];
        this.messages.set(`${message.accountId}/${message.id}`, { ...message, partStates: {} });
        return [];
      }),
    releaseSubmission: async (message) => {
      const m = this.messages.get(`${message.accountId}/${message.id}`);
      if (m?.status === 'submitted' && m.carrierIds === undefined)
        this.messages.set(`${message.accountId}/${message.id}`, { ...message, partStates: {} });
    },
    releaseClaim: async (accountId, messageId) => {
      const m = this.messages.get(`${accountId}/${messageId}`);
      if (m && isSubmittable(m.status)) {
        const { claimedAt: _, ...rest } = m;
        this.messages.set(`${accountId}/${messageId}`, rest);
      }
    },
    recordCarrierIds: async (accountId, messageId, carrierIds) => {
      const m = this.messages.get(`${accountId}/${messageId}`);
      if (m) this.messages.set(`${accountId}/${messageId}`, { ...m, carrierIds });
    },
    recordPartState: async (accountId, messageId, part, status) => {
      const m = this.messages.get(`${accountId}/${messageId}`);
      if (!m) return undefined;
      const partStates = { [String(part)]: status, ...m.partStates };
      this.messages.set(`${accountId}/${messageId}`, { ...m, partStates });
      return partStates;
    },
  };

  readonly blocklistRepo: BlocklistRepository = {
    find: async (accountId, e164) => this.blockedOn(accountId, e164),
    findMany: async (accountId, numbers) => {
      const hits = new Map<string, 'account' | 'global'>();
      for (const n of numbers) {
        const hit = this.blockedOn(accountId, n);
        if (hit) hits.set(n, hit);
      }
      return hits;
    },
  };

  private blockedOn(accountId: string, e164: string): 'account' | 'global' | undefined {
    if (this.blocked.has(`global/${e164}`)) return 'global';
    if (this.blocked.has(`${accountId}/${e164}`)) return 'account';
    return undefined;
  }

  /** Applies a ledger entry to its account's balance, reserved and spent, and records it. */
  private apply(entry: LedgerEntry): void {
    const account = this.mustAccount(entry.accountId);
    this.accounts.set(account.id, {
      ...account,
      balance: account.balance + entry.amount,
      reserved: account.reserved + (entry.reservedDelta ?? 0),
      spent: account.spent + (entry.spentDelta ?? 0),
    });
    this.ledger.push(entry);
  }

  private move(
    accountId: string,
    messageId: string,
    event: { status: MessageStatus; at: string; reason?: string },
    extra?: { carrierIds?: readonly string[] },
  ): Message | undefined {
    const m = this.messages.get(`${accountId}/${messageId}`);
    if (!m || STATUS_RANK[m.status] >= STATUS_RANK[event.status]) return undefined;
    const next: StoredMessage = {
      ...m,
      status: event.status,
      events: [...m.events, event],
      ...(event.reason ? { reason: event.reason } : {}),
      ...(extra?.carrierIds ? { carrierIds: extra.carrierIds } : {}),
    };
    this.messages.set(`${accountId}/${messageId}`, next);
    return strip(next);
  }

  private mustAccount(id: string): Account {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no account ${id}`);
    return account;
  }
}

function strip(m: StoredMessage): Message {
  const { claimedAt: _c, closed: _r, partStates: _p, ...message } = m;
  return message;
}

/** An account with every field set to a sensible test value. */
export function testAccount(overrides: Partial<Account> = {}): Account {
  return {
    id: 'acc1',
    name: 'Shop',
    status: 'active',
    country: 'RO',
    timezone: 'Europe/Bucharest',
    currency: 'EUR',
    balance: 0,
    reserved: 0,
    spent: 0,
    senderIds: ['Shop'],
    maxParts: 10,
    createdAt: '2026-01-01T00:00:00.000Z',
    billing: 'separate',
    receivesReplies: true,
    requestsPerSecond: 50,
    partsPerSecond: 100,
    ...overrides,
  };
}

/** A single message `m1` of `acc1`, queued, one GSM-7 part at 450; `overrides` set the rest. */
export function testMessage(overrides: Partial<Message> = {}): Message {
  return {
    id: 'm1',
    accountId: 'acc1',
    to: '+40722123456',
    from: 'Shop',
    text: 'Hello',
    encoding: 'GSM-7',
    parts: 1,
    cost: 450,
    pricePerPart: 450,
    fundedBy: 'acc1',
    currency: 'EUR',
    status: 'queued',
    createdAt: '2026-11-24T10:00:00.000Z',
    events: [],
    reference: 'acc1.m1',
    ...overrides,
  };
}

/** A batch `b1` of `acc1`, running since 2026-11-24 10:00Z, columns A/B at speed 1; `overrides` set the rest. */
export function testBatch(overrides: Partial<Batch> = {}): Batch {
  return {
    id: 'b1',
    accountId: 'acc1',
    name: 'Promo',
    status: 'running',
    mapping: { firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
    options: {
      from: 'Shop',
      speed: 1,
      dedup: true,
      blocklist: true,
      smartEncoding: false,
      missingValues: 'empty',
    },
    progress: EMPTY_PROGRESS,
    createdAt: '2026-11-24T10:00:00.000Z',
    startedAt: '2026-11-24T10:00:00.000Z',
    ...overrides,
  };
}

export class RecordingQueue implements SendQueue {
  readonly jobs: SendJob[] = [];
  async enqueue(jobs: readonly SendJob[]) {
    this.jobs.push(...jobs);
  }
}

/** A scripted carrier: answers from `script` in order (default accepted), records every submission. */
export class ScriptedCarrier implements CarrierGateway {
  readonly name = 'scripted';
  readonly submissions: CarrierSubmission[] = [];
  constructor(
    readonly idempotentReferences: boolean,
    private readonly script: (SubmitResult | Error)[] = [],
  ) {}
  async submit(submission: CarrierSubmission): Promise<SubmitResult> {
    this.submissions.push(submission);
    const next = this.script.shift() ?? { outcome: 'accepted', carrierIds: [`c-${this.submissions.length}`] };
    if (next instanceof Error) throw next;
    return next;
  }
}

export const fixedClock = (iso = '2026-11-24T10:00:00.000Z'): Clock => ({ now: () => new Date(iso) });

export function sequentialIds(): IdGenerator {
  let n = 0;
  return {
    newId: () => `id${String(++n).padStart(4, '0')}`,
    newToken: (length) => 'x'.repeat(length - String(++n).length) + String(n),
  };
}

export const plainHasher: SecretHasher = { hash: (s) => `h:${s}`, verify: (s, h) => h === `h:${s}` };
