import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MessageStatus } from '#domain/message/message';
import { makeReportTally, messagePosition, reportedCost, successRate } from '#domain/report/report';

const STATUSES: MessageStatus[] = [
  'accepted',
  'scheduled',
  'queued',
  'submitted',
  'delivered',
  'undelivered',
  'expired',
  'rejected',
  'failed',
  'cancelled',
];

describe('report rules', () => {
  it.each([
    ['delivered', 450],
    ['undelivered', 450],
    ['expired', 450],
    ['submitted', 450],
    ['queued', 450],
    ['rejected', 0],
    ['failed', 0],
    ['cancelled', 0],
  ] as const)('a %s message costs %i', (status, cost) => {
    expect(reportedCost({ status, cost: 450 })).toBe(cost);
  });

  it('success rate: delivered over messages with an outcome; null before any', () => {
    expect(successRate({})).toBeNull();
    expect(successRate({ queued: 3, cancelled: 2, unsent: 1 })).toBeNull();
    expect(successRate({ delivered: 2, undelivered: 1, cancelled: 5 })).toBe(0.6667);
    expect(successRate({ delivered: 1, rejected: 1, failed: 1, expired: 1 })).toBe(0.25);
  });

  it('the tally: total cost is the sum of reported costs, and equals the sum of its destination lines', () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.record({
            status: fc.constantFrom(...STATUSES),
            parts: fc.integer({ min: 1, max: 10 }),
            cost: fc.integer({ min: 0, max: 100_000 }),
            country: fc.constantFrom('RO', 'DE', 'ZZ'),
            network: fc.option(fc.constantFrom('Orange', 'Vodafone'), { nil: undefined }),
          }),
        ),
        (messages) => {
          const tally = makeReportTally();
          for (const m of messages)
            tally.add(m, { country: m.country, ...(m.network ? { network: m.network } : {}) });
          const totals = tally.totals();
          const expected = messages.reduce((sum, m) => sum + reportedCost(m), 0);
          expect(totals.cost).toBe(expected);
          expect(totals.byDestination.reduce((sum, l) => sum + l.cost, 0)).toBe(expected);
          expect(Object.values(totals.byStatus).reduce((sum, n) => sum + (n ?? 0), 0)).toBe(messages.length);
          const keys = totals.byDestination.map((l) => `${l.country}/${l.network ?? ''}`);
          expect(keys).toEqual([...keys].sort());
        },
      ),
    );
  });

  it('settled totals add up with single messages, line by line', () => {
    const tally = makeReportTally();
    tally.add({ status: 'delivered', parts: 1, cost: 450 }, { country: 'RO', network: 'Orange' });
    tally.addSettled({
      byStatus: { delivered: 2, unsent: 1 },
      messages: 2,
      parts: 3,
      cost: 1350,
      byDestination: [{ country: 'RO', network: 'Orange', messages: 2, parts: 3, cost: 1350 }],
    });
    expect(tally.totals()).toEqual({
      byStatus: { delivered: 3, unsent: 1 },
      messages: 3,
      parts: 4,
      cost: 1800,
      byDestination: [{ country: 'RO', network: 'Orange', messages: 3, parts: 4, cost: 1800 }],
    });
  });

  it('positions sort newest first by creation time, then id', () => {
    const a = messagePosition({ createdAt: '2026-11-24T10:00:00.000Z', id: 'B' });
    const b = messagePosition({ createdAt: '2026-11-24T10:00:00.001Z', id: 'A' });
    expect([a, b].sort().reverse()).toEqual([b, a]);
  });
});
