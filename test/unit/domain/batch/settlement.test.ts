import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isCharged, makeSettlementTally } from '#domain/batch/settlement';
import type { MessageStatus } from '#domain/message/message';

const STATUSES: (MessageStatus | undefined)[] = [
  'delivered',
  'undelivered',
  'expired',
  'submitted',
  'rejected',
  'failed',
  'cancelled',
  undefined,
];

describe('batch settlement totals', () => {
  it('charges what the network took (and what it still holds), refunds the rest', () => {
    expect(STATUSES.filter(isCharged)).toEqual(['delivered', 'undelivered', 'expired', 'submitted']);
  });

  it('charged + refunded = reserved; totals by status and destination add up (property)', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            parts: fc.integer({ min: 1, max: 5 }),
            price: fc.integer({ min: 0, max: 900 }),
            status: fc.constantFrom(...STATUSES),
            country: fc.constantFrom('RO', 'MD'),
            network: fc.constantFrom(undefined, 'Orange'),
          }),
          { maxLength: 60 },
        ),
        (messages) => {
          const tally = makeSettlementTally();
          messages.forEach((m, i) => {
            tally.add(
              {
                id: `b1R${i}`,
                parts: m.parts,
                cost: m.parts * m.price,
                country: m.country,
                ...(m.network ? { network: m.network } : {}),
              },
              m.status,
            );
          });
          const reserved = messages.reduce((t, m) => t + m.parts * m.price, 0);
          const totals = tally.totals(reserved, '2026-11-24T10:00:00.000Z');
          const charged = messages.filter((m) => isCharged(m.status));
          expect(totals.cost).toBe(charged.reduce((t, m) => t + m.parts * m.price, 0));
          expect(totals.cost + totals.refunded).toBe(reserved);
          expect(totals.messages).toBe(charged.length);
          expect(Object.values(totals.byStatus).reduce((t, n) => t + (n ?? 0), 0)).toBe(messages.length);
          expect(totals.byDestination.reduce((t, d) => t + d.cost, 0)).toBe(totals.cost);
          expect(totals.byDestination.reduce((t, d) => t + d.parts, 0)).toBe(totals.parts);
        },
      ),
    );
  });

  it('never charges more than was reserved', () => {
    const tally = makeSettlementTally();
    tally.add({ id: 'a', parts: 1, cost: 500, country: 'RO' }, 'delivered');
    expect(tally.totals(450, 'now')).toMatchObject({ cost: 450, refunded: 0 });
  });
});
