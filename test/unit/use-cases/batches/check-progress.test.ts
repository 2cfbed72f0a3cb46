import { describe, expect, it } from 'vitest';
import { type Batch, EMPTY_PROGRESS } from '#domain/batch/batch';
import { pastLastReport, reportPollSeconds } from '#use-cases/batches/send-batch';

const batch = (overrides: Partial<Batch> = {}): Batch => ({
  id: 'b1',
  accountId: 'acc1',
  name: 'B',
  status: 'running',
  uploadId: 'u1',
  mapping: { firstRow: 2, phoneColumn: 'A', messageColumn: 'B' },
  options: {
    from: 'Shop',
    speed: 10,
    dedup: true,
    blocklist: true,
    smartEncoding: false,
    missingValues: 'empty',
  },
  summary: {
    rows: 100,
    valid: 100,
    invalid: 0,
    duplicates: 0,
    blocklisted: 0,
    messages: 100,
    parts: 100,
    cost: 45_000,
    reasons: {},
    chunks: 1,
  },
  progress: EMPTY_PROGRESS,
  createdAt: '2026-11-24T10:00:00.000Z',
  startedAt: '2026-11-24T10:00:00.000Z',
  ...overrides,
});

describe('the progress safety net', () => {
  const start = Date.parse('2026-11-24T10:00:00.000Z');

  it('waits for sending (100 at 10/s = 10 s) + validity + one grace hour, then calls the batch done', () => {
    const b = batch({ options: { ...batch().options, validitySeconds: 3600 } });
    expect(pastLastReport(b, new Date(start + 10_000 + 3_600_000 + 3_600_000))).toBe(false);
    expect(pastLastReport(b, new Date(start + 10_000 + 3_600_000 + 3_600_001))).toBe(true);
  });

  it('uses 72 hours when the batch sets no validity', () => {
    expect(pastLastReport(batch(), new Date(start + 10_000 + 72 * 3_600_000 + 3_600_000))).toBe(false);
    expect(pastLastReport(batch(), new Date(start + 10_000 + 73 * 3_600_000 + 1))).toBe(true);
  });

  it('counts from the start time of a scheduled batch, not from its confirmation', () => {
    const startAt = new Date(start + 5 * 24 * 3_600_000).toISOString();
    const b = batch({ options: { ...batch().options, startAt, validitySeconds: 3600 } });
    const sent = start + 5 * 24 * 3_600_000 + 10_000 + 3_600_000 + 3_600_000;
    expect(pastLastReport(b, new Date(sent))).toBe(false);
    expect(pastLastReport(b, new Date(sent + 1))).toBe(true);
  });

  it('never for a batch that has not started', () => {
    const { startedAt: _, ...notStarted } = batch();
    expect(pastLastReport(notStarted as Batch, new Date(start + 365 * 24 * 3_600_000))).toBe(false);
  });
});

describe('the wait for the last delivery reports', () => {
  const start = Date.parse('2026-11-24T10:00:00.000Z');
  const sendingEnds = start + 10_000; // 100 messages at 10/s

  it('looks every 10 s while reports are fresh, then every tenth of the wait, at most every 10 min', () => {
    expect(reportPollSeconds(batch(), new Date(start + 5_000))).toBe(10);
    expect(reportPollSeconds(batch(), new Date(sendingEnds + 60_000))).toBe(10);
    expect(reportPollSeconds(batch(), new Date(sendingEnds + 1_000_000))).toBe(100);
    expect(reportPollSeconds(batch(), new Date(sendingEnds + 48 * 3_600_000))).toBe(600);
  });

  it('keeps a wait until the safety net (73 h) far inside the 25 000-event execution history', () => {
    let now = sendingEnds;
    let polls = 0;
    while (!pastLastReport(batch(), new Date(now))) {
      now += reportPollSeconds(batch(), new Date(now)) * 1000;
      polls++;
    }
    // CheckProgress + Choice + Wait: under 10 events a poll.
    expect(polls * 10).toBeLessThan(25_000 / 4);
    expect(polls).toBeGreaterThan(100); // still looks regularly, not once at the end
  });
});
