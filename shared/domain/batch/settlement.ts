import type { MessageStatus } from '../message/message';

/**
 * Money for batch messages moves once per batch, not once per message (docs/cost.md): `start` reserves
 * the batch's whole cost, and at the end one settlement charges what was sent and refunds the rest,
 * from the messages' final statuses. These are the rules and the totals that settlement records.
 */

/**
 * Whether a message in this state is charged, by the rules single messages follow: the network took it
 * (delivered, undelivered, expired) → charged; refused (rejected, failed), cancelled, or never created
 * (`undefined`: its job was never submitted) → refunded. A message still `submitted` when its batch is
 * settled (no final report came in time) is charged: the carrier has it and bills for it.
 */
export function isCharged(status: MessageStatus | undefined): boolean {
  return status === 'delivered' || status === 'undelivered' || status === 'expired' || status === 'submitted';
}

/** One destination line of the final totals: messages charged to this (country, network). */
export interface DestinationTotals {
  /** ISO 3166 country from the price list entry that priced the number (`ZZ` when unknown). */
  readonly country: string;
  /** Network name from the price list entry, when the list prices networks. */
  readonly network?: string;
  readonly messages: number;
  readonly parts: number;
  /** Integer 1/10000 of the currency unit. */
  readonly cost: number;
}

/**
 * What a batch finally sent and cost, recorded once on the batch item by its settlement (the sweep of
 * its deterministic message ids). Reports read this instead of the messages.
 * - `byStatus`: every planned message (rows and monitoring copies) by final status; `unsent` counts
 *   those never submitted (stopped, failed or paused for good before their turn).
 * - `messages`, `parts`, `cost`: what was charged (see `isCharged`); `refunded` = reserved − cost.
 * - `byDestination`: the charged messages by (country, network), sorted by country then network.
 */
export interface BatchFinalTotals {
  readonly planned: number;
  readonly byStatus: Readonly<Partial<Record<MessageStatus | 'unsent', number>>>;
  readonly messages: number;
  readonly parts: number;
  readonly cost: number;
  readonly refunded: number;
  readonly byDestination: readonly DestinationTotals[];
  readonly settledAt: string;
}

/** A planned batch message as the sweep sees it: what it would cost, and where it goes. */
export interface PlannedMessage {
  readonly id: string;
  readonly parts: number;
  readonly cost: number;
  readonly country: string;
  readonly network?: string;
}

/** Accumulates the sweep, chunk by chunk, into `BatchFinalTotals` (bounded memory for 1M messages). */
export function makeSettlementTally() {
  const byStatus: Partial<Record<MessageStatus | 'unsent', number>> = {};
  const destinations = new Map<
    string,
    { country: string; network?: string; messages: number; parts: number; cost: number }
  >();
  let planned = 0;
  let messages = 0;
  let parts = 0;
  let cost = 0;
  return {
    add(message: PlannedMessage, status: MessageStatus | undefined): void {
      planned++;
      const key = status ?? 'unsent';
      byStatus[key] = (byStatus[key] ?? 0) + 1;
      if (!isCharged(status)) return;
      messages++;
      parts += message.parts;
      cost += message.cost;
      const destination = `${message.country}\u0000${message.network ?? ''}`;
      let line = destinations.get(destination);
      if (!line) {
        line = {
          country: message.country,
          ...(message.network ? { network: message.network } : {}),
          messages: 0,
          parts: 0,
          cost: 0,
        };
        destinations.set(destination, line);
      }
      line.messages++;
      line.parts += message.parts;
      line.cost += message.cost;
    },
    /** The totals against what was reserved; the charge never exceeds the reservation. */
    totals(reserved: number, settledAt: string): BatchFinalTotals {
      const charged = Math.min(cost, reserved);
      return {
        planned,
        byStatus: { ...byStatus },
        messages,
        parts,
        cost: charged,
        refunded: reserved - charged,
        byDestination: [...destinations.values()].sort(
          (a, b) => a.country.localeCompare(b.country) || (a.network ?? '').localeCompare(b.network ?? ''),
        ),
        settledAt,
      };
    },
  };
}
