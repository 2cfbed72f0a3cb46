import type { Account } from '#domain/account/account';
import type { Batch } from '#domain/batch/batch';
import { NotFound, ValidationFailed } from '#domain/errors';
import type { Message, MessageStatus } from '#domain/message/message';
import { normalisePhoneNumber } from '#domain/phone/phone-number';
import { messagePosition } from '#domain/report/report';
import type { AccountRepository } from '#ports/account-repository';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { MessageFilter, ReportSources } from '#ports/report-sources';
import { type BatchMessageDeps, chunkMessageIds, readMessages, sentChunks } from './batch-messages';
import { reportOwner } from './report-owner';

export interface ReportDeps extends BatchMessageDeps {
  readonly accounts: Pick<AccountRepository, 'get'>;
  readonly batches: Pick<BatchRepository, 'get' | 'chunkKeys' | 'chunkMessageCounts'>;
  readonly sources: ReportSources;
  readonly clock: Clock;
}

export type ReportCaller = { readonly accountId: string; readonly account: Pick<Account, 'country'> };

/** Default period of a search: the last 30 days. */
const DEFAULT_PERIOD_MS = 30 * 24 * 3600 * 1000;
/** Longest period one report covers. */
const MAX_PERIOD_MS = 366 * 24 * 3600 * 1000;
/**
 * How long before the period a batch may have been created and still start in it. A batch counts in
 * the period it started in; batches are listed by creation time (gsi1), so the listing starts this much
 * earlier. A batch started more than 90 days after it was created is outside every period report
 * (its campaign report still covers it).
 */
export const BATCH_LOOKBACK_MS = 90 * 24 * 3600 * 1000;

export interface Period {
  readonly from: string;
  readonly to: string;
}

/** The period asked for (UTC instants), defaulting to the last 30 days, at most 366 days long. */
export function reportPeriod(clock: Clock, input: { from?: Date; to?: Date }): Period {
  const to = input.to ?? clock.now();
  const from = input.from ?? new Date(to.getTime() - DEFAULT_PERIOD_MS);
  if (from.getTime() > to.getTime()) throw new ValidationFailed('from must not be after to');
  if (to.getTime() - from.getTime() > MAX_PERIOD_MS)
    throw new ValidationFailed('A period is at most 366 days');
  return { from: from.toISOString(), to: to.toISOString() };
}

/** The batches whose messages count in `period`: those that started in it. */
export async function batchesStartedIn(deps: Pick<ReportDeps, 'sources'>, owner: string, period: Period) {
  const created = await deps.sources.batchesCreated(owner, {
    from: new Date(Date.parse(period.from) - BATCH_LOOKBACK_MS).toISOString(),
    to: period.to,
  });
  return created.filter(
    (b) => b.startedAt !== undefined && b.startedAt >= period.from && b.startedAt <= period.to,
  );
}

export interface MessageSearch {
  readonly from?: Date;
  readonly to?: Date;
  readonly status?: MessageStatus;
  readonly number?: string;
  readonly sender?: string;
  /** A batch (campaign) id: only its messages, whatever the period. */
  readonly campaign?: string;
  readonly subuser?: string;
  readonly limit: number;
  readonly cursor?: string;
}

export interface MessagePage {
  readonly owner: string;
  readonly period?: Period;
  readonly items: readonly Message[];
  readonly cursor?: string;
}

function encodeCursor(owner: string, position: string): string {
  return Buffer.from(JSON.stringify({ o: owner, p: position })).toString('base64url');
}

function decodeCursor(owner: string, cursor: string): string {
  try {
    const { o, p } = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8')) as {
      o?: unknown;
      p?: unknown;
    };
    if (o === owner && typeof p === 'string') return p;
  } catch {
    // falls through
  }
  throw new ValidationFailed('Invalid cursor');
}

/**
 * Sent messages, newest first, with their cost (MISSION item 11), paged with an opaque cursor.
 * 1. Whose: the caller's, or a subuser's (`subuser`, parents only).
 * 2. Single messages come from gsi1 (`ACCOUNT#<id>#MSGS`, filtered; items of a batch are skipped there);
 *    batch messages through their batches (started in the period, or the one `campaign`), chunk by
 *    chunk from the last, by their deterministic ids.
 * 3. Both are merged by position (`<createdAt>#<id>`); the cursor is the last position shown.
 */
export async function searchMessages(
  deps: ReportDeps,
  caller: ReportCaller,
  search: MessageSearch,
): Promise<MessagePage> {
  const owner = await reportOwner(deps.accounts, caller, search.subuser);
  const filter: MessageFilter = {
    ...(search.status ? { status: search.status } : {}),
    ...(search.sender ? { from: search.sender } : {}),
    ...(search.number ? { to: searchedNumber(caller, search.number) } : {}),
  };
  const period = search.campaign === undefined ? reportPeriod(deps.clock, search) : undefined;
  const before = search.cursor ? decodeCursor(owner, search.cursor) : `${period?.to ?? '9999'}\uffff`;
  const want = search.limit + 1;
  let batches: Batch[];
  let singles: { items: Message[]; more: boolean } = { items: [], more: false };
  if (search.campaign !== undefined) {
    const batch = await deps.batches.get(owner, search.campaign);
    if (!batch) throw new NotFound('Campaign not found');
    batches = [batch];
  } else {
    const range = period as Period;
    [singles, batches] = await Promise.all([
      deps.sources.singles(owner, { from: range.from, before, limit: want, filter }),
      batchesStartedIn(deps, owner, range),
    ]);
  }
  let more = singles.more;
  const found: Positioned[] = singles.items.map((message) => ({
    message,
    position: messagePosition(message),
  }));
  for (const batch of batches) {
    const result = await newestOfBatch(deps, batch, { before, want, filter });
    found.push(...result.items);
    more ||= result.more;
  }
  found.sort((a, b) => (a.position < b.position ? 1 : -1));
  const page = found.slice(0, search.limit);
  const last = page.at(-1);
  const hasNext = (more || found.length > search.limit) && last !== undefined;
  return {
    owner,
    ...(period ? { period } : {}),
    items: page.map((p) => p.message),
    ...(hasNext ? { cursor: encodeCursor(owner, last.position) } : {}),
  };
}

function searchedNumber(caller: ReportCaller, input: string): string {
  const number = normalisePhoneNumber(input, {
    defaultCountry: caller.account.country,
    requireMobile: false,
  });
  if (!number.ok) throw new ValidationFailed(`number is not a valid phone number: ${number.reason}`);
  return number.e164;
}

function matches(message: Message, filter: MessageFilter): boolean {
  return (
    (filter.status === undefined || message.status === filter.status) &&
    (filter.to === undefined || message.to === filter.to) &&
    (filter.from === undefined || message.from === filter.from)
  );
}

interface Positioned {
  readonly message: Message;
  readonly position: string;
}

const pad = (n: number) => String(n).padStart(7, '0');

/**
 * A batch message's place in the listing: `<batch startedAt>#<batchId>#<chunk><index in chunk>`. A
 * campaign's messages sort by when the campaign started, then newest row first. Not their own creation
 * time: chunks overlap in time (at full speed the next chunk is queued before the last one is sent), and
 * only a position fixed by the file lets a page start exactly after the previous one with no read of the
 * messages before it.
 */
function batchPosition(batch: Batch, chunk: number, index: number): string {
  return `${batch.startedAt}#${batch.id}#${pad(chunk)}${pad(index)}`;
}

/**
 * Up to `want` of a batch's messages whose position is below `before`, newest first, reading its chunks
 * from the one the cursor points into (or the last) back; `more` when older ones remain.
 */
async function newestOfBatch(
  deps: BatchMessageDeps,
  batch: Batch,
  query: { before: string; want: number; filter: MessageFilter },
): Promise<{ items: Positioned[]; more: boolean }> {
  const prefix = `${batch.startedAt}#${batch.id}#`;
  if (!batch.startedAt || query.before <= prefix) return { items: [], more: false };
  const chunks = await sentChunks(deps, batch);
  const inside = query.before.startsWith(prefix) ? query.before.slice(prefix.length) : undefined;
  const firstChunk =
    inside === undefined ? chunks.length - 1 : Math.min(chunks.length - 1, Number(inside.slice(0, 7)));
  const items: Positioned[] = [];
  for (let c = firstChunk; c >= 0; c--) {
    const chunk = chunks[c];
    if (!chunk) continue;
    const ids = await chunkMessageIds(deps, batch, chunk);
    const byId = new Map((await readMessages(deps, batch, ids)).map((m) => [m.id, m] as const));
    for (let i = ids.length - 1; i >= 0; i--) {
      const position = batchPosition(batch, c, i);
      const message = byId.get(ids[i] ?? '');
      if (message && position < query.before && matches(message, query.filter))
        items.push({ message, position });
    }
    if (items.length >= query.want) return { items, more: c > 0 };
  }
  return { items, more: false };
}
