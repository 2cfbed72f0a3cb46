import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { makeDynamoAccountRepository } from '#adapters/dynamodb/account-repository';
import { makeDocumentClient } from '#adapters/dynamodb/client';
import { makeDynamoMessageRepository } from '#adapters/dynamodb/message-repository';
import { type Account, fundingOrder } from '#domain/account/account';
import { InsufficientCredit } from '#domain/errors';
import { type Message, type MessageEvent, messageReference } from '#domain/message/message';
import type { AccountRepository, LedgerEntry } from '#ports/account-repository';
import type { IdempotencyRecord, MessageRepository } from '#ports/message-repository';
import { testAccount } from '../support/in-memory';
import { useOwnTable } from '../support/own-table';

/*
 * A model-based test of the money layer, in the spirit of the bank test Jepsen runs on databases:
 * random sequences of top-ups, corrections, reservations (sends), settlements, refunds, transfers between
 * an account and its subusers, and replays of each, some of them fired at once from concurrent workers,
 * all against the real DynamoDB adapters and DynamoDB Local. After every step the table is read back
 * (consistent reads) and compared with a model:
 * - no balance is ever negative;
 * - Σ balance + Σ reserved + Σ spent over all accounts = Σ credits applied (a replay counted once);
 * - per account, balance/reserved/spent = Σ amount/reservedDelta/spentDelta of its ledger;
 * - per account, the stored money (and ledger size) = what the model expects;
 * - every message is reserved once and settled or refunded at most once; a replay changes nothing.
 * Operations run alone have one exact expected outcome. Operations run together may be ordered any way:
 * each must succeed or fail with InsufficientCredit (and only when the others could have used the
 * credit), and the table must equal the effects of exactly the operations that reported success.
 */

const TABLE_NAME = 'ledger-model';
const SEED = 20_261_124;
const NUM_RUNS = 25;
const MAX_COMMANDS = 30;

const { raw } = useOwnTable(TABLE_NAME);
const client = makeDocumentClient(raw);
const repos: { accounts: AccountRepository; messages: MessageRepository } = {
  accounts: makeDynamoAccountRepository({ client, tableName: TABLE_NAME }),
  messages: makeDynamoMessageRepository({ client, tableName: TABLE_NAME }),
};

// ---------------------------------------------------------------------------------------------------
// The system under test: a few accounts of one run (unique ids, so runs never see each other).

let sequence = 0;
const nextId = (prefix: string) => `${prefix}${(++sequence).toString(36)}`;
let clockMs = Date.parse('2026-11-24T10:00:00.000Z');
const now = () => new Date(++clockMs).toISOString();

type Member = Pick<Account, 'id' | 'billing' | 'parentId'>;
type Layout = readonly { name: string; parent?: string; billing?: Account['billing'] }[];

interface World {
  readonly accounts: AccountRepository;
  readonly messages: MessageRepository;
  readonly members: readonly Member[];
  readonly subusers: readonly (Member & { parentId: string })[];
}

/** Two top-level accounts; p1 has two parent-funded subusers and one billed separately. */
const DEFAULT_LAYOUT: Layout = [
  { name: 'p1' },
  { name: 'p2' },
  { name: 's1', parent: 'p1', billing: 'parent' },
  { name: 's2', parent: 'p1', billing: 'separate' },
  { name: 's3', parent: 'p1', billing: 'parent' },
  { name: 's4', parent: 'p2', billing: 'parent' },
];

async function createWorld(layout: Layout = DEFAULT_LAYOUT): Promise<World> {
  const run = nextId('run');
  const members: Member[] = layout.map(({ name, parent, billing }) => ({
    id: `${run}-${name}`,
    billing: billing ?? 'separate',
    ...(parent ? { parentId: `${run}-${parent}` } : {}),
  }));
  await Promise.all(
    members.map((member) => {
      const createdAt = now();
      return repos.accounts.create(testAccount({ ...member, name: member.id, createdAt }), {
        keyId: `${member.id}-key`,
        accountId: member.id,
        secretHash: 'not-a-real-hash',
        status: 'active',
        createdAt,
      });
    }),
  );
  const subusers = members.flatMap((m) => (m.parentId ? [{ ...m, parentId: m.parentId }] : []));
  return { ...repos, members, subusers };
}

// ---------------------------------------------------------------------------------------------------
// Operations: one call of an adapter, fully specified (ids, amounts, times) before it runs.

type MoneyKind = 'settle' | 'refund';
interface TransferRequest {
  readonly id: string;
  readonly from: string;
  readonly to: string;
  readonly amount: number;
  readonly by: string;
  readonly at: string;
}
interface ModelMessage {
  readonly accountId: string;
  readonly id: string;
  readonly fundedBy: string;
  readonly cost: number;
  status: 'accepted' | 'delivered' | 'rejected';
}

type Op =
  | { readonly kind: 'credit'; readonly entry: LedgerEntry }
  | {
      readonly kind: 'send';
      readonly message: Message;
      readonly charge: LedgerEntry;
      readonly idempotency?: IdempotencyRecord;
    }
  | {
      readonly kind: 'finalize';
      readonly target: ModelMessage;
      readonly money: MoneyKind;
      readonly event: MessageEvent;
      readonly entryId: string;
    }
  | { readonly kind: 'transfer'; readonly transfer: TransferRequest };

function sendOp(sender: Member, fundedBy: string, cost: number, key?: string): Op & { kind: 'send' } {
  const id = nextId('m');
  const at = now();
  const message: Message = {
    id,
    accountId: sender.id,
    to: '+40712345678',
    from: 'Shop',
    text: 'Model test',
    encoding: 'GSM-7',
    parts: 1,
    cost,
    pricePerPart: cost,
    fundedBy,
    currency: 'EUR',
    status: 'accepted',
    createdAt: at,
    events: [{ status: 'accepted', at }],
    reference: messageReference(sender.id, id),
  };
  const charge: LedgerEntry = {
    id: nextId('c'),
    accountId: fundedBy,
    amount: -cost,
    reservedDelta: cost,
    kind: 'reserve',
    reason: 'SMS',
    by: sender.id,
    ref: id,
    at,
  };
  const idempotency = key && { accountId: sender.id, key, requestHash: `hash-${key}`, messageId: id };
  return { kind: 'send', message, charge, ...(idempotency ? { idempotency } : {}) };
}

function finalizeOp(target: ModelMessage, money: MoneyKind): Op {
  const event: MessageEvent = { status: money === 'settle' ? 'delivered' : 'rejected', at: now() };
  return { kind: 'finalize', target, money, event, entryId: nextId('f') };
}

function execute(world: World, op: Op): Promise<unknown> {
  switch (op.kind) {
    case 'credit':
      return world.accounts.credit(op.entry);
    case 'send':
      return world.messages.createWithCharge({
        message: op.message,
        charge: op.charge,
        ...(op.idempotency ? { idempotency: op.idempotency } : {}),
      });
    case 'finalize':
      return world.messages.finalize(op.target, op.event, {
        kind: op.money,
        entryId: op.entryId,
        reason: op.money,
        at: op.event.at,
      });
    case 'transfer':
      return world.accounts.transfer(op.transfer);
  }
}

function describeOp(op: Op): string {
  switch (op.kind) {
    case 'credit':
      return `credit ${op.entry.id} ${op.entry.amount} → ${op.entry.accountId}`;
    case 'send':
      return `send ${op.message.id} cost ${op.message.cost} by ${op.message.accountId} on ${op.message.fundedBy}${op.idempotency ? ` key ${op.idempotency.key}` : ''}`;
    case 'finalize':
      return `${op.money} ${op.target.id}`;
    case 'transfer':
      return `transfer ${op.transfer.id} ${op.transfer.amount} ${op.transfer.from} → ${op.transfer.to}`;
  }
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

async function attempt(world: World, op: Op): Promise<Outcome> {
  try {
    return { ok: true, value: await execute(world, op) };
  } catch (error) {
    return { ok: false, error };
  }
}

/** The value of a call that must have succeeded (an unexpected error is rethrown as is). */
function succeeded(outcome: Outcome, op: Op): unknown {
  if (!outcome.ok) {
    throw new Error(`${describeOp(op)} failed unexpectedly: ${String(outcome.error)}`, {
      cause: outcome.error,
    });
  }
  return outcome.value;
}

function expectInsufficient(outcome: Outcome, op: Op): void {
  if (outcome.ok) {
    throw new Error(
      `${describeOp(op)} should fail with InsufficientCredit, got ${JSON.stringify(outcome.value)}`,
    );
  }
  if (!(outcome.error instanceof InsufficientCredit)) throw outcome.error;
}

// ---------------------------------------------------------------------------------------------------
// The model: what every account must hold, and the requests made so far (for replays).

interface Money {
  balance: number;
  reserved: number;
  spent: number;
}
interface Snapshot {
  readonly money: Record<string, Money>;
  readonly ledgerIds: Record<string, string[]>;
}
interface Model {
  readonly money: Record<string, Money>;
  readonly entries: Record<string, number>;
  credited: number;
  readonly credits: LedgerEntry[];
  readonly appliedCredits: Set<string>;
  readonly transfers: TransferRequest[];
  readonly appliedTransfers: Set<string>;
  readonly keyed: { sender: Member; key: string; cost: number }[];
  readonly idempotency: Map<string, string>;
  readonly messages: ModelMessage[];
  /** Messages whose send was refused or replayed: they must not exist. */
  readonly absent: { accountId: string; id: string }[];
  snapshot?: Snapshot;
}

function emptyModel(world: World): Model {
  const each = <T>(value: () => T) => Object.fromEntries(world.members.map((m) => [m.id, value()]));
  return {
    money: each(() => ({ balance: 0, reserved: 0, spent: 0 })),
    entries: each(() => 0),
    credited: 0,
    credits: [],
    appliedCredits: new Set(),
    transfers: [],
    appliedTransfers: new Set(),
    keyed: [],
    idempotency: new Map(),
    messages: [],
    absent: [],
  };
}

const creditKey = (entry: LedgerEntry) => `${entry.accountId}/${entry.id}`;
const idemKey = (record: { accountId: string; key: string }) => `${record.accountId}/${record.key}`;
const moneyOf = (model: Model, accountId: string): Money => {
  const money = model.money[accountId];
  if (!money) throw new Error(`no account ${accountId} in the model`);
  return money;
};
const count = (model: Model, accountId: string) => {
  model.entries[accountId] = (model.entries[accountId] ?? 0) + 1;
};

function applyCredit(model: Model, entry: LedgerEntry): void {
  moneyOf(model, entry.accountId).balance += entry.amount;
  model.credited += entry.amount;
  model.appliedCredits.add(creditKey(entry));
  count(model, entry.accountId);
}

function applyReserve(model: Model, op: Op & { kind: 'send' }): ModelMessage {
  const { message } = op;
  const funder = moneyOf(model, message.fundedBy);
  funder.balance -= message.cost;
  funder.reserved += message.cost;
  count(model, message.fundedBy);
  if (op.idempotency) model.idempotency.set(idemKey(op.idempotency), message.id);
  const stored: ModelMessage = {
    accountId: message.accountId,
    id: message.id,
    fundedBy: message.fundedBy,
    cost: message.cost,
    status: 'accepted',
  };
  model.messages.push(stored);
  return stored;
}

function applyFinal(model: Model, target: ModelMessage, kind: MoneyKind): void {
  const funder = moneyOf(model, target.fundedBy);
  funder.reserved -= target.cost;
  if (kind === 'settle') funder.spent += target.cost;
  else funder.balance += target.cost;
  target.status = kind === 'settle' ? 'delivered' : 'rejected';
  count(model, target.fundedBy);
}

function applyTransfer(model: Model, transfer: TransferRequest): void {
  moneyOf(model, transfer.from).balance -= transfer.amount;
  moneyOf(model, transfer.to).balance += transfer.amount;
  model.appliedTransfers.add(transfer.id);
  count(model, transfer.from);
  count(model, transfer.to);
}

// ---------------------------------------------------------------------------------------------------
// Reading the table back and checking every invariant.

/** The whole ledger of an account, page by page. */
async function readLedger(
  accounts: AccountRepository,
  accountId: string,
  limit = 10,
): Promise<LedgerEntry[]> {
  const entries: LedgerEntry[] = [];
  let cursor: string | undefined;
  do {
    const page = await accounts.ledger(accountId, { limit, ...(cursor ? { cursor } : {}) });
    entries.push(...page.items);
    cursor = page.cursor;
  } while (cursor);
  return entries;
}

const sum = (values: readonly (number | undefined)[]) => values.reduce<number>((a, v) => a + (v ?? 0), 0);

/**
 * Reads every account and ledger back and checks them against the invariants and the model. Steps read
 * the ledger in large pages (fast); the end of a run reads it in small ones (paging exercised).
 */
async function verify(
  model: Model,
  world: World,
  fetch: readonly ModelMessage[],
  pageSize = 100,
): Promise<Snapshot> {
  const ids = world.members.map((m) => m.id);
  const [accounts, ledgers, messages] = await Promise.all([
    Promise.all(ids.map((id) => world.accounts.get(id))),
    Promise.all(ids.map((id) => readLedger(world.accounts, id, pageSize))),
    Promise.all(fetch.map((m) => world.messages.get(m.accountId, m.id))),
  ]);
  const stored: Record<string, Money & { entries: number }> = {};
  const fromLedger: Record<string, Money> = {};
  const expected: Record<string, Money & { entries: number }> = {};
  const kindsByRef = new Map<string, string[]>();
  const ledgerIds: Record<string, string[]> = {};
  ids.forEach((id, i) => {
    const account = accounts[i];
    const ledger = ledgers[i] ?? [];
    if (!account) throw new Error(`account ${id} is gone`);
    stored[id] = {
      balance: account.balance,
      reserved: account.reserved,
      spent: account.spent,
      entries: ledger.length,
    };
    fromLedger[id] = {
      balance: sum(ledger.map((e) => e.amount)),
      reserved: sum(ledger.map((e) => e.reservedDelta)),
      spent: sum(ledger.map((e) => e.spentDelta)),
    };
    expected[id] = { ...moneyOf(model, id), entries: model.entries[id] ?? 0 };
    ledgerIds[id] = ledger.map((e) => e.id).sort();
    for (const e of ledger) {
      if (e.ref) kindsByRef.set(`${id}|${e.ref}`, [...(kindsByRef.get(`${id}|${e.ref}`) ?? []), e.kind]);
    }
  });
  const money = (m: Money): Money => ({ balance: m.balance, reserved: m.reserved, spent: m.spent });
  const storedMoney = Object.fromEntries(Object.entries(stored).map(([id, m]) => [id, money(m)]));

  // 1. Never a negative balance.
  for (const [id, m] of Object.entries(stored))
    expect(m.balance, `balance of ${id}`).toBeGreaterThanOrEqual(0);
  // 2. Money is conserved: what was credited is spendable, held or spent, nothing more or less.
  expect(sum(Object.values(stored).map((m) => m.balance + m.reserved + m.spent)), 'Σ money').toBe(
    model.credited,
  );
  // 3. Each account's money is the sum of its ledger.
  expect(fromLedger, 'ledger sums').toEqual(storedMoney);
  // 4. Each account holds what the model expects, with one ledger entry per applied change.
  expect(stored, 'accounts vs model').toEqual(expected);
  // 5. Each ledger entry is written once; each message reserved once and closed at most once.
  const allIds = Object.values(ledgerIds).flat();
  expect(new Set(allIds).size, 'distinct ledger entry ids').toBe(allIds.length);
  for (const m of model.messages) {
    const closing = m.status === 'accepted' ? [] : [m.status === 'delivered' ? 'settle' : 'refund'];
    expect(kindsByRef.get(`${m.fundedBy}|${m.id}`)?.sort(), `ledger of ${m.id}`).toEqual(
      ['reserve', ...closing].sort(),
    );
  }
  // 6. The stored messages are as the model says.
  fetch.forEach((m, i) => {
    const message = messages[i];
    expect(
      message && { status: message.status, fundedBy: message.fundedBy, cost: message.cost },
      m.id,
    ).toEqual({
      status: m.status,
      fundedBy: m.fundedBy,
      cost: m.cost,
    });
  });
  const snapshot = { money: storedMoney, ledgerIds };
  model.snapshot = snapshot;
  return snapshot;
}

async function expectAbsent(world: World, model: Model): Promise<void> {
  const found = await Promise.all(model.absent.map((m) => world.messages.get(m.accountId, m.id)));
  expect(
    found.flatMap((m) => (m ? [m.id] : [])),
    'messages of refused or replayed sends',
  ).toEqual([]);
}

// ---------------------------------------------------------------------------------------------------
// Running operations alone (one exact expected outcome) or together (any order is allowed).

/** Asserts the outcome the model predicts for `op` run alone and applies it; false when it changed nothing. */
function expectAlone(model: Model, op: Op, outcome: Outcome): boolean {
  switch (op.kind) {
    case 'credit': {
      const { entry } = op;
      const money = moneyOf(model, entry.accountId);
      if (model.appliedCredits.has(creditKey(entry))) {
        expect(succeeded(outcome, op), describeOp(op)).toBe(money.balance);
        return false;
      }
      if (money.balance + entry.amount < 0) {
        expectInsufficient(outcome, op);
        return false;
      }
      applyCredit(model, entry);
      expect(succeeded(outcome, op), describeOp(op)).toBe(money.balance);
      return true;
    }
    case 'send': {
      const { message, idempotency } = op;
      const known = idempotency && model.idempotency.get(idemKey(idempotency));
      if (idempotency && known) {
        expect(succeeded(outcome, op), describeOp(op)).toEqual({
          created: false,
          existing: { ...idempotency, messageId: known },
        });
        model.absent.push(message);
        return false;
      }
      if (moneyOf(model, message.fundedBy).balance < message.cost) {
        expectInsufficient(outcome, op);
        model.absent.push(message);
        return false;
      }
      expect(succeeded(outcome, op), describeOp(op)).toEqual({ created: true });
      applyReserve(model, op);
      return true;
    }
    case 'finalize': {
      if (op.target.status !== 'accepted') {
        expect(succeeded(outcome, op), describeOp(op)).toBeUndefined();
        return false;
      }
      expect(succeeded(outcome, op), describeOp(op)).toMatchObject({
        id: op.target.id,
        status: op.event.status,
      });
      applyFinal(model, op.target, op.money);
      return true;
    }
    case 'transfer': {
      const { transfer } = op;
      if (model.appliedTransfers.has(transfer.id)) {
        succeeded(outcome, op);
        return false;
      }
      if (moneyOf(model, transfer.from).balance < transfer.amount) {
        expectInsufficient(outcome, op);
        return false;
      }
      succeeded(outcome, op);
      applyTransfer(model, transfer);
      return true;
    }
  }
}

const touched = (model: Model, op: Op): ModelMessage[] =>
  op.kind === 'finalize'
    ? [op.target]
    : op.kind === 'send'
      ? model.messages.filter((m) => m.id === op.message.id)
      : [];

async function runAlone(model: Model, world: World, op: Op): Promise<void> {
  const before = model.snapshot;
  const outcome = await attempt(world, op);
  const changed = expectAlone(model, op, outcome);
  const after = await verify(model, world, touched(model, op));
  if (!changed) expect(after, `${describeOp(op)} must change nothing`).toEqual(before);
}

/** What an operation may take from a balance (the most it could contribute to another's shortfall). */
function debitOf(op: Op): { account: string; amount: number } | undefined {
  if (op.kind === 'credit' && op.entry.amount < 0)
    return { account: op.entry.accountId, amount: -op.entry.amount };
  if (op.kind === 'send') return { account: op.message.fundedBy, amount: op.message.cost };
  if (op.kind === 'transfer') return { account: op.transfer.from, amount: op.transfer.amount };
  return undefined;
}

function groupBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) groups.set(key(item), [...(groups.get(key(item)) ?? []), item]);
  return groups;
}

/**
 * Runs operations concurrently. Each may only fail with InsufficientCredit, and only if the other
 * operations could have taken enough of that balance; the table must then equal the model after the
 * effects of exactly the operations that succeeded (a replayed id applied once).
 */
async function runTogether(model: Model, world: World, ops: readonly Op[]): Promise<Outcome[]> {
  const balances = Object.fromEntries(Object.entries(model.money).map(([id, m]) => [id, m.balance]));
  const outcomes = await Promise.all(ops.map((op) => attempt(world, op)));
  const runs = ops.map((op, i) => ({ op, outcome: outcomes[i] as Outcome, debit: debitOf(op) }));

  // 1. Only a shortfall may fail an operation, and only one the others could have caused.
  for (const { op, outcome, debit } of runs) {
    if (outcome.ok) continue;
    if (!(outcome.error instanceof InsufficientCredit) || !debit) succeeded(outcome, op);
    if (!debit) continue;
    const others = sum(
      runs.filter((r) => r.op !== op && r.debit?.account === debit.account).map((r) => r.debit?.amount),
    );
    expect(
      (balances[debit.account] ?? 0) - others,
      `${describeOp(op)} refused although the others could take at most ${others}`,
    ).toBeLessThan(debit.amount);
  }

  // 2. Credits and transfers: a new id applies once if any attempt succeeded; a known one never again.
  const ofKind = <K extends Op['kind']>(kind: K) =>
    runs.filter((r) => r.op.kind === kind) as ((typeof runs)[number] & { op: Op & { kind: K } })[];
  for (const group of groupBy(ofKind('credit'), (r) => creditKey(r.op.entry)).values()) {
    const { entry } = group[0]?.op ?? { entry: undefined };
    if (!entry) continue;
    const known = model.appliedCredits.has(creditKey(entry));
    if (known || entry.amount > 0) for (const r of group) succeeded(r.outcome, r.op);
    if (!known && group.some((r) => r.outcome.ok)) applyCredit(model, entry);
  }
  for (const group of groupBy(ofKind('transfer'), (r) => r.op.transfer.id).values()) {
    const transfer = group[0]?.op.transfer;
    if (!transfer) continue;
    const known = model.appliedTransfers.has(transfer.id);
    if (known) for (const r of group) succeeded(r.outcome, r.op);
    if (!known && group.some((r) => r.outcome.ok)) applyTransfer(model, transfer);
  }

  // 3. Sends: at most one message per idempotency key, and none for a key already used.
  const sends = ofKind('send');
  const knownKeys = new Set(model.idempotency.keys());
  const created: ModelMessage[] = [];
  for (const r of sends) {
    if (r.outcome.ok && (r.outcome.value as { created: boolean }).created) {
      const key = r.op.idempotency && idemKey(r.op.idempotency);
      expect(
        key !== undefined && (knownKeys.has(key) || model.idempotency.has(key)),
        `${describeOp(r.op)} created twice`,
      ).toBe(false);
      created.push(applyReserve(model, r.op));
    } else {
      model.absent.push(r.op.message);
    }
  }
  for (const r of sends) {
    if (!r.outcome.ok || (r.outcome.value as { created: boolean }).created) continue;
    const key = r.op.idempotency && idemKey(r.op.idempotency);
    const messageId = key === undefined ? undefined : model.idempotency.get(key);
    expect(r.outcome.value, describeOp(r.op)).toEqual({
      created: false,
      existing: { ...r.op.idempotency, messageId },
    });
  }

  // 4. Finalizations: exactly one per message that was open, none for one already final.
  const finals = ofKind('finalize');
  for (const group of groupBy(finals, (r) => r.op.target.id).values()) {
    const target = group[0]?.op.target;
    if (!target) continue;
    const applied = group.filter((r) => succeeded(r.outcome, r.op) !== undefined);
    expect(applied.length, `finalizations of ${target.id} that applied`).toBe(
      target.status === 'accepted' ? 1 : 0,
    );
    const winner = applied[0];
    if (winner) {
      expect(winner.outcome.ok && winner.outcome.value).toMatchObject({ status: winner.op.event.status });
      applyFinal(model, target, winner.op.money);
    }
  }

  await verify(model, world, [...created, ...finals.map((r) => r.op.target)]);
  return outcomes;
}

// ---------------------------------------------------------------------------------------------------
// Generated commands. Picks are plain numbers resolved (modulo) against what exists when they run, so
// every generated sequence is valid and shrinks well.

type Spec =
  | {
      readonly t: 'credit';
      readonly account: number;
      readonly amount: number;
      readonly replay: number | null;
    }
  | {
      readonly t: 'send';
      readonly sender: number;
      readonly viaParent: boolean;
      readonly cost: number;
      readonly key: 'none' | 'new' | number;
    }
  | {
      readonly t: 'finalize';
      readonly message: number;
      readonly kind: MoneyKind;
      readonly final: boolean;
      readonly twice: MoneyKind | null;
    }
  | {
      readonly t: 'transfer';
      readonly subuser: number;
      readonly toSubuser: boolean;
      /** Percent of the payer's balance (over 100: more than it has). */
      readonly share: number;
      readonly replay: number | null;
    };

function must<T>(value: T | undefined): T {
  if (value === undefined) throw new Error('nothing to pick from');
  return value;
}
const nth = <T>(items: readonly T[], n: number): T | undefined =>
  items.length === 0 ? undefined : items[n % items.length];

/** Turns a spec into an operation (registering new requests so later specs can replay them). */
function resolve(spec: Spec, model: Model, world: World): Op | undefined {
  switch (spec.t) {
    case 'credit': {
      const earlier = spec.replay === null ? undefined : nth(model.credits, spec.replay);
      // A retry of an earlier request: the same id, sent again later.
      if (earlier) return { kind: 'credit', entry: { ...earlier, at: now() } };
      const entry: LedgerEntry = {
        id: nextId('t'),
        accountId: must(nth(world.members, spec.account)).id,
        amount: spec.amount,
        kind: spec.amount > 0 ? 'top-up' : 'correction',
        reason: 'model test',
        by: 'operator',
        at: now(),
      };
      model.credits.push(entry);
      return { kind: 'credit', entry };
    }
    case 'send': {
      const earlier = typeof spec.key === 'number' ? nth(model.keyed, spec.key) : undefined;
      const sender = earlier?.sender ?? must(nth(world.members, spec.sender));
      const cost = earlier?.cost ?? spec.cost;
      const key = earlier?.key ?? (spec.key === 'none' ? undefined : nextId('k'));
      if (key && !earlier) model.keyed.push({ sender, key, cost });
      // The funder: the sender itself or, for a parent-funded subuser, its parent (fundingOrder's rule).
      const funders = fundingOrder(sender);
      return sendOp(sender, must(spec.viaParent ? funders.at(-1) : funders[0]), cost, key);
    }
    case 'finalize': {
      const candidates = model.messages.filter((m) => (m.status !== 'accepted') === spec.final);
      const target = nth(candidates, spec.message);
      return target && finalizeOp(target, spec.kind);
    }
    case 'transfer': {
      const earlier = spec.replay === null ? undefined : nth(model.transfers, spec.replay);
      if (earlier) return { kind: 'transfer', transfer: { ...earlier, at: now() } };
      const subuser = must(nth(world.subusers, spec.subuser));
      const [from, to] = spec.toSubuser ? [subuser.parentId, subuser.id] : [subuser.id, subuser.parentId];
      const amount = Math.max(1, Math.floor((moneyOf(model, from).balance * spec.share) / 100));
      const transfer = { id: nextId('x'), from, to, amount, by: subuser.parentId, at: now() };
      model.transfers.push(transfer);
      return { kind: 'transfer', transfer };
    }
  }
}

type LedgerCommand = fc.AsyncCommand<Model, World>;

/** One operation alone; a finalization may be repeated right after (a duplicate report). */
class Step implements LedgerCommand {
  constructor(readonly spec: Spec) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, world: World): Promise<void> {
    const op = resolve(this.spec, model, world);
    if (!op) return;
    await runAlone(model, world, op);
    if (op.kind === 'finalize' && this.spec.t === 'finalize' && this.spec.twice) {
      await runAlone(model, world, finalizeOp(op.target, this.spec.twice));
    }
  }
  toString(): string {
    return JSON.stringify(this.spec);
  }
}

/** Equal-cost sends racing on one balance (from the account and its parent-funded subusers). */
class Race implements LedgerCommand {
  constructor(readonly spec: { funder: number; topUp: number; sends: number; covers: number }) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, world: World): Promise<void> {
    const funder = must(nth(world.members, this.spec.funder));
    if (this.spec.topUp > 0)
      await runAlone(model, world, { kind: 'credit', entry: topUp(funder.id, this.spec.topUp) });
    const senders = [
      funder,
      ...world.subusers.filter((s) => s.parentId === funder.id && s.billing === 'parent'),
    ];
    const balance = moneyOf(model, funder.id).balance;
    const cost = this.spec.covers === 0 ? balance + 1 : Math.max(1, Math.floor(balance / this.spec.covers));
    const ops = Array.from({ length: this.spec.sends }, (_, i) =>
      sendOp(must(nth(senders, i)), funder.id, cost),
    );
    const outcomes = await runTogether(model, world, ops);
    // With equal costs the outcome is exact whatever the order: as many as the balance covers.
    expect(outcomes.filter((o) => o.ok).length, `sends of ${cost} accepted on ${balance}`).toBe(
      Math.min(this.spec.sends, Math.floor(balance / cost)),
    );
  }
  toString(): string {
    return `race${JSON.stringify(this.spec)}`;
  }
}

/** Several operations (replays included) fired at once from concurrent workers. */
class Burst implements LedgerCommand {
  constructor(readonly specs: readonly Spec[]) {}
  check(): boolean {
    return true;
  }
  async run(model: Model, world: World): Promise<void> {
    const ops = this.specs.flatMap((spec) => {
      const op = resolve(spec, model, world);
      if (!op) return [];
      return op.kind === 'finalize' && spec.t === 'finalize' && spec.twice
        ? [op, finalizeOp(op.target, spec.twice)]
        : [op];
    });
    await runTogether(model, world, ops);
  }
  toString(): string {
    return `burst${JSON.stringify(this.specs)}`;
  }
}

function topUp(accountId: string, amount: number): LedgerEntry {
  return { id: nextId('t'), accountId, amount, kind: 'top-up', reason: 'test', by: 'operator', at: now() };
}

const pick = fc.nat({ max: 999 });
const moneyKind = fc.constantFrom<MoneyKind>('settle', 'refund');
const weighted = <T>(often: fc.Arbitrary<T>, rarely: fc.Arbitrary<T>, odds = 4) =>
  fc.oneof({ weight: odds, arbitrary: often }, { weight: 1, arbitrary: rarely });
const sometimes = <T>(arb: fc.Arbitrary<T>) => weighted<T | null>(fc.constant(null), arb, 2);

const specArb: fc.Arbitrary<Spec> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('credit' as const),
      account: pick,
      amount: weighted(fc.integer({ min: 1, max: 30_000 }), fc.integer({ min: -10_000, max: -1 })),
      replay: sometimes(pick),
    }),
  },
  {
    weight: 5,
    arbitrary: fc.record({
      t: fc.constant('send' as const),
      sender: pick,
      viaParent: fc.boolean(),
      cost: weighted(fc.integer({ min: 1, max: 1_000 }), fc.integer({ min: 1_001, max: 40_000 })),
      key: fc.oneof(
        { weight: 3, arbitrary: fc.constant('none' as const) },
        { weight: 2, arbitrary: fc.constant('new' as const) },
        { weight: 2, arbitrary: pick },
      ),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('finalize' as const),
      message: pick,
      kind: moneyKind,
      final: weighted(fc.constant(false), fc.constant(true)),
      twice: sometimes(moneyKind),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('transfer' as const),
      subuser: pick,
      toSubuser: weighted(fc.constant(true), fc.constant(false), 2),
      share: weighted(fc.integer({ min: 1, max: 100 }), fc.integer({ min: 101, max: 200 }), 2),
      replay: sometimes(pick),
    }),
  },
);

const stepArb = specArb.map((spec): LedgerCommand => new Step(spec));
const commandArbs: fc.Arbitrary<LedgerCommand>[] = [
  stepArb,
  stepArb,
  stepArb,
  stepArb,
  fc
    .record({
      funder: pick,
      topUp: weighted(fc.constant(0), fc.integer({ min: 1, max: 30_000 }), 1),
      sends: fc.integer({ min: 2, max: 20 }),
      covers: fc.integer({ min: 0, max: 40 }),
    })
    .map((spec): LedgerCommand => new Race(spec)),
  fc.array(specArb, { minLength: 2, maxLength: 8 }).map((specs): LedgerCommand => new Burst(specs)),
  fc.array(specArb, { minLength: 2, maxLength: 8 }).map((specs): LedgerCommand => new Burst(specs)),
];

describe('the ledger under random, concurrent and replayed operations (model-based)', () => {
  it('conserves money, never goes negative, always equals its ledger and the model', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.commands(commandArbs, { maxCommands: MAX_COMMANDS, size: 'max' }),
        async (commands) => {
          const world = await createWorld();
          const model = emptyModel(world);
          await verify(model, world, []);
          await fc.asyncModelRun(() => ({ model, real: world }), commands);
          await verify(model, world, model.messages, 7);
          await expectAbsent(world, model);
        },
      ),
      {
        seed: SEED,
        numRuns: NUM_RUNS,
        plugins: [fc.interruptAfterTimeLimit(150_000, { failOnInterrupt: true })],
      },
    );
  }, 180_000);
});

// ---------------------------------------------------------------------------------------------------
// The sharpest cases, as plain examples.

async function readState(world: World, accountId: string) {
  const [account, ledger] = await Promise.all([
    world.accounts.get(accountId),
    readLedger(world.accounts, accountId),
  ]);
  return {
    money: { balance: account?.balance, reserved: account?.reserved, spent: account?.spent },
    fromLedger: {
      balance: sum(ledger.map((e) => e.amount)),
      reserved: sum(ledger.map((e) => e.reservedDelta)),
      spent: sum(ledger.map((e) => e.spentDelta)),
    },
    kinds: ledger.map((e) => e.kind).sort(),
  };
}

describe('the ledger in its sharpest cases', () => {
  const COST = 450;
  const PARENT_AND_CHILD: Layout = [{ name: 'p' }, { name: 's', parent: 'p', billing: 'parent' }];

  it.each([
    ['the account itself', 0],
    ['five parent-funded subusers', 5],
  ])(
    '50 concurrent sends by %s on credit for exactly 10: exactly 10 reserved, balance 0',
    async (_, subusers) => {
      // Arrange
      const world = await createWorld([
        { name: 'p' },
        ...Array.from({ length: subusers }, (_, i) => ({
          name: `s${i}`,
          parent: 'p',
          billing: 'parent' as const,
        })),
      ]);
      const parent = must(world.members[0]);
      const senders = subusers === 0 ? [parent] : world.subusers;
      await world.accounts.credit(topUp(parent.id, 10 * COST));

      // Act
      const results = await Promise.allSettled(
        Array.from({ length: 50 }, (_, i) => {
          const { message, charge } = sendOp(must(nth(senders, i)), parent.id, COST);
          return world.messages.createWithCharge({ message, charge });
        }),
      );

      // Assert
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(10);
      expect(
        results.filter((r) => r.status === 'rejected' && r.reason instanceof InsufficientCredit),
      ).toHaveLength(40);
      const state = await readState(world, parent.id);
      expect(state.money).toEqual({ balance: 0, reserved: 10 * COST, spent: 0 });
      expect(state.fromLedger).toEqual(state.money);
    },
  );

  it('a transfer of more than the balance fails with nothing moved', async () => {
    // Arrange
    const world = await createWorld(PARENT_AND_CHILD);
    const [parent, subuser] = world.members.map((m) => m.id) as [string, string];
    await world.accounts.credit(topUp(parent, 1_000));
    await world.accounts.transfer({
      id: nextId('x'),
      from: parent,
      to: subuser,
      amount: 400,
      by: parent,
      at: now(),
    });
    const before = await Promise.all([readState(world, parent), readState(world, subuser)]);

    // Act
    const down = await world.accounts
      .transfer({
        id: nextId('x'),
        from: parent,
        to: subuser,
        amount: 601,
        by: parent,
        at: now(),
      })
      .catch((error: unknown) => error);
    const up = await world.accounts
      .transfer({
        id: nextId('x'),
        from: subuser,
        to: parent,
        amount: 401,
        by: parent,
        at: now(),
      })
      .catch((error: unknown) => error);

    // Assert
    expect(down).toBeInstanceOf(InsufficientCredit);
    expect(up).toBeInstanceOf(InsufficientCredit);
    expect(await Promise.all([readState(world, parent), readState(world, subuser)])).toEqual(before);
    expect(before.map((s) => s.money.balance)).toEqual([600, 400]);
  });

  it('a replayed transfer id moves the credit once, sequentially or concurrently', async () => {
    // Arrange
    const world = await createWorld(PARENT_AND_CHILD);
    const [parent, subuser] = world.members.map((m) => m.id) as [string, string];
    await world.accounts.credit(topUp(parent, 1_000));
    const transfer = { id: nextId('x'), from: parent, to: subuser, amount: 300, by: parent, at: now() };

    // Act
    await world.accounts.transfer(transfer);
    await world.accounts.transfer({ ...transfer, at: now() });
    await Promise.all(Array.from({ length: 5 }, () => world.accounts.transfer({ ...transfer, at: now() })));

    // Assert
    const [from, to] = await Promise.all([readState(world, parent), readState(world, subuser)]);
    expect(from.money).toEqual({ balance: 700, reserved: 0, spent: 0 });
    expect(to.money).toEqual({ balance: 300, reserved: 0, spent: 0 });
    expect([from.kinds, to.kinds]).toEqual([['top-up', 'transfer-out'], ['transfer-in']]);
  });

  it('a message finalised twice (settle, then refund) is settled once and never refunded', async () => {
    // Arrange
    const world = await createWorld([{ name: 'a' }]);
    const account = must(world.members[0]);
    await world.accounts.credit(topUp(account.id, 1_000));
    const { message, charge } = sendOp(account, account.id, COST);
    await world.messages.createWithCharge({ message, charge });

    // Act
    const settled = await world.messages.finalize(
      message,
      { status: 'delivered', at: now() },
      { kind: 'settle', entryId: nextId('f'), reason: 'Settled: delivered', at: now() },
    );
    const refunded = await world.messages.finalize(
      message,
      { status: 'rejected', at: now() },
      { kind: 'refund', entryId: nextId('f'), reason: 'Rejected by the network', at: now() },
    );

    // Assert
    expect(settled?.status).toBe('delivered');
    expect(refunded).toBeUndefined();
    const state = await readState(world, account.id);
    expect(state.money).toEqual({ balance: 1_000 - COST, reserved: 0, spent: COST });
    expect(state.fromLedger).toEqual(state.money);
    expect(state.kinds).toEqual(['reserve', 'settle', 'top-up']);
    expect((await world.messages.get(account.id, message.id))?.status).toBe('delivered');
  });
});
