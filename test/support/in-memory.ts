import type { Account } from '#domain/account/account';
import { InsufficientCredit } from '#domain/errors';
import { type Message, type MessageStatus, STATUS_RANK } from '#domain/message/message';
import type {
  AccountRepository,
  BlocklistRepository,
  LedgerEntry,
  StoredApiKey,
} from '#ports/account-repository';
import type { CarrierGateway, CarrierSubmission, SubmitResult } from '#ports/carrier-gateway';
import type { Clock } from '#ports/clock';
import type { IdGenerator, SecretHasher } from '#ports/ids';
import type { IdempotencyRecord, MessageRepository } from '#ports/message-repository';
import type { SendJob, SendQueue } from '#ports/queues';

/**
 * In-memory ports for use-case unit tests only (the integration tests use DynamoDB Local). They keep
 * the same guarantees as the DynamoDB adapters: conditional balance, forward-only status, one refund.
 */
export class InMemoryStore implements AccountRepository, MessageRepository, BlocklistRepository {
  readonly accounts = new Map<string, Account>();
  readonly keys = new Map<string, StoredApiKey>();
  readonly messages = new Map<
    string,
    Message & { claimedAt?: string; refunded?: boolean; partStates: Record<string, MessageStatus> }
  >();
  readonly idempotency = new Map<string, IdempotencyRecord>();
  readonly ledger: LedgerEntry[] = [];
  readonly blocked = new Set<string>();

  // AccountRepository
  async get(accountId: string): Promise<Account | undefined>;
  async get(accountId: string, messageId: string): Promise<Message | undefined>;
  async get(accountId: string, messageId?: string): Promise<Account | Message | undefined> {
    if (messageId === undefined) return this.accounts.get(accountId);
    const m = this.messages.get(`${accountId}/${messageId}`);
    return m ? strip(m) : undefined;
  }
  async create(account: Account, apiKey: StoredApiKey) {
    this.accounts.set(account.id, account);
    this.keys.set(apiKey.keyId, apiKey);
  }
  async credit(entry: LedgerEntry) {
    const account = this.mustAccount(entry.accountId);
    this.accounts.set(account.id, { ...account, balance: account.balance + entry.amount });
    this.ledger.push(entry);
    return account.balance + entry.amount;
  }

  // MessageRepository
  async createWithCharge(input: { message: Message; charge: LedgerEntry; idempotency?: IdempotencyRecord }) {
    const { message, charge, idempotency } = input;
    if (idempotency) {
      const existing = this.idempotency.get(`${idempotency.accountId}/${idempotency.key}`);
      if (existing) return { created: false as const, existing };
    }
    const account = this.mustAccount(message.accountId);
    if (account.status !== 'active' || account.balance < message.cost) throw new InsufficientCredit('short');
    this.accounts.set(account.id, { ...account, balance: account.balance - message.cost });
    this.messages.set(`${message.accountId}/${message.id}`, { ...message, partStates: {} });
    this.ledger.push(charge);
    if (idempotency) this.idempotency.set(`${idempotency.accountId}/${idempotency.key}`, idempotency);
    return { created: true as const };
  }
  async getIdempotency(accountId: string, key: string) {
    return this.idempotency.get(`${accountId}/${key}`);
  }
  async advance(
    accountId: string,
    messageId: string,
    event: { status: MessageStatus; at: string; reason?: string },
    extra?: { carrierIds?: readonly string[] },
  ) {
    const m = this.messages.get(`${accountId}/${messageId}`);
    if (!m || STATUS_RANK[m.status] >= STATUS_RANK[event.status]) return undefined;
    const next = {
      ...m,
      status: event.status,
      events: [...m.events, event],
      ...(event.reason ? { reason: event.reason } : {}),
      ...(extra?.carrierIds ? { carrierIds: extra.carrierIds } : {}),
    };
    this.messages.set(`${accountId}/${messageId}`, next);
    return strip(next);
  }
  async claimForSubmission(accountId: string, messageId: string, at: string) {
    const m = this.messages.get(`${accountId}/${messageId}`);
    if (!m || (m.status !== 'accepted' && m.status !== 'queued'))
      return { outcome: 'not-submittable' as const, message: undefined };
    const already = m.claimedAt !== undefined;
    this.messages.set(`${accountId}/${messageId}`, { ...m, claimedAt: at });
    return { outcome: already ? ('already-claimed' as const) : ('claimed' as const), message: strip(m) };
  }
  async releaseClaim(accountId: string, messageId: string) {
    const m = this.messages.get(`${accountId}/${messageId}`);
    if (m && (m.status === 'accepted' || m.status === 'queued')) {
      const { claimedAt: _, ...rest } = m;
      this.messages.set(`${accountId}/${messageId}`, rest);
    }
  }
  async recordCarrierIds(accountId: string, messageId: string, carrierIds: readonly string[]) {
    const m = this.messages.get(`${accountId}/${messageId}`);
    if (m) this.messages.set(`${accountId}/${messageId}`, { ...m, carrierIds });
  }
  async recordPartState(accountId: string, messageId: string, part: number, status: MessageStatus) {
    const m = this.messages.get(`${accountId}/${messageId}`);
    if (!m) return undefined;
    const partStates = { [String(part)]: status, ...m.partStates };
    this.messages.set(`${accountId}/${messageId}`, { ...m, partStates });
    return partStates;
  }
  async refund(entry: LedgerEntry) {
    const m = this.messages.get(`${entry.accountId}/${entry.ref}`);
    if (!m || m.refunded) return false;
    this.messages.set(`${entry.accountId}/${entry.ref}`, { ...m, refunded: true });
    await this.credit(entry);
    return true;
  }

  // BlocklistRepository
  async find(accountId: string, e164: string) {
    if (this.blocked.has(`global/${e164}`)) return 'global' as const;
    if (this.blocked.has(`${accountId}/${e164}`)) return 'account' as const;
    return undefined;
  }

  private mustAccount(id: string): Account {
    const account = this.accounts.get(id);
    if (!account) throw new Error(`no account ${id}`);
    return account;
  }
}

function strip(m: Message & { claimedAt?: string; refunded?: boolean; partStates?: unknown }): Message {
  const { claimedAt: _c, refunded: _r, partStates: _p, ...message } = m;
  return message;
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
