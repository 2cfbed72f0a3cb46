import type { Message, MessageStatus } from '#domain/message/message';

/**
 * Reports on sent messages (MISSION item 11): what was sent, to where, at what cost. Money in integer
 * 1/10000 units. The rules here are shared by every report so their totals always agree.
 */

/** Refused or withdrawn before the network took it: its reservation went back, it costs nothing. */
const REFUNDED: ReadonlySet<MessageStatus> = new Set(['rejected', 'failed', 'cancelled']);

/**
 * What a message costs in a report: its price, unless it was refunded (rejected, failed, cancelled).
 * In-flight messages show what is reserved for them; delivered, undelivered and expired ones what was
 * charged (as the settlement of single messages and of batches charges them).
 */
export function reportedCost(message: Pick<Message, 'cost' | 'status'>): number {
  return REFUNDED.has(message.status) ? 0 : message.cost;
}

/** The statuses counted as "reached the handset or definitely did not" for the success rate. */
const OUTCOMES: readonly MessageStatus[] = ['delivered', 'undelivered', 'expired', 'rejected', 'failed'];

/**
 * Delivered ÷ messages with an outcome (delivered, undelivered, expired, rejected, failed), as a
 * fraction 0..1 rounded to 4 decimals; null while none has an outcome. Cancelled and unsent messages
 * never had a chance, so they do not lower it.
 */
export function successRate(byStatus: Readonly<Partial<Record<string, number>>>): number | null {
  const outcomes = OUTCOMES.reduce((sum, s) => sum + (byStatus[s] ?? 0), 0);
  if (outcomes === 0) return null;
  return Math.round(((byStatus.delivered ?? 0) / outcomes) * 10_000) / 10_000;
}

/** One (country, network) line of a destination report. */
export interface DestinationLine {
  readonly country: string;
  readonly network?: string;
  readonly messages: number;
  readonly parts: number;
  readonly cost: number;
}

/** Totals of a set of messages: counts by status, and what the non-refunded ones cost, by destination. */
export interface ReportTotals {
  readonly byStatus: Partial<Record<MessageStatus | 'unsent', number>>;
  /** Messages that cost something (not refunded). */
  readonly messages: number;
  readonly parts: number;
  readonly cost: number;
  readonly byDestination: readonly DestinationLine[];
}

/**
 * What a settled batch recorded (`finalTotals` on the batch item, written once by its settlement): the
 * same shape as `ReportTotals`, so reports read it instead of the batch's messages.
 */
export type SettledTotals = ReportTotals;

/** Accumulates messages (or whole settled totals) into `ReportTotals`. */
export function makeReportTally() {
  const byStatus: Partial<Record<MessageStatus | 'unsent', number>> = {};
  const lines = new Map<
    string,
    { country: string; network?: string; messages: number; parts: number; cost: number }
  >();
  let messages = 0;
  let parts = 0;
  let cost = 0;
  const addLine = (line: DestinationLine) => {
    const key = `${line.country}\u0000${line.network ?? ''}`;
    const current = lines.get(key) ?? {
      country: line.country,
      ...(line.network ? { network: line.network } : {}),
      messages: 0,
      parts: 0,
      cost: 0,
    };
    current.messages += line.messages;
    current.parts += line.parts;
    current.cost += line.cost;
    lines.set(key, current);
  };
  return {
    /** One message; `where` is its destination (from the price list). */
    add(message: Pick<Message, 'status' | 'parts' | 'cost'>, where: { country: string; network?: string }) {
      byStatus[message.status] = (byStatus[message.status] ?? 0) + 1;
      if (REFUNDED.has(message.status)) return;
      messages++;
      parts += message.parts;
      cost += message.cost;
      addLine({ ...where, messages: 1, parts: message.parts, cost: message.cost });
    },
    /** A settled batch's totals, as recorded. */
    addSettled(totals: SettledTotals) {
      for (const [status, count] of Object.entries(totals.byStatus)) {
        const key = status as MessageStatus | 'unsent';
        byStatus[key] = (byStatus[key] ?? 0) + (count ?? 0);
      }
      messages += totals.messages;
      parts += totals.parts;
      cost += totals.cost;
      for (const line of totals.byDestination) addLine(line);
    },
    totals(): ReportTotals {
      return {
        byStatus: { ...byStatus },
        messages,
        parts,
        cost,
        byDestination: [...lines.values()].sort(
          (a, b) => a.country.localeCompare(b.country) || (a.network ?? '').localeCompare(b.network ?? ''),
        ),
      };
    },
  };
}

/** A message's place in the newest-first order of every listing: `<createdAt>#<id>` (gsi1's sort key). */
export function messagePosition(message: Pick<Message, 'createdAt' | 'id'>): string {
  return `${message.createdAt}#${message.id}`;
}
