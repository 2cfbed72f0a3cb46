import { describe, expect, it } from 'vitest';
import {
  InvalidCarrierWebhook,
  MAX_REPORTS_PER_REQUEST,
  parseCarrierSimDeliveryReport,
  parseCarrierSimDeliveryReports,
  parseCarrierSimMo,
} from '#adapters/carrier-sim/delivery-report';

const dlr = {
  reference: 'acc1.msg1',
  carrierId: '3650e49603220Ff6C474',
  part: 1,
  parts: 2,
  stat: 'DELIVRD',
  err: '000',
  submitDate: '2026-11-24T20:50:30.702Z',
  doneDate: '2026-11-24T20:50:31.504Z',
  receipt:
    'id:3650e49603220Ff6C474 sub:001 dlvrd:001 submit date:2611242050 done date:2611242050 stat:DELIVRD',
};
const body = (overrides: Record<string, unknown> = {}) => JSON.stringify({ ...dlr, ...overrides });

describe('parseCarrierSimDeliveryReport', () => {
  it('maps a delivered report, keeping the carrier id exactly as given', () => {
    // Act
    const report = parseCarrierSimDeliveryReport(body());

    // Assert
    expect(report).toEqual({
      reference: 'acc1.msg1',
      carrierId: '3650e49603220Ff6C474',
      part: 1,
      parts: 2,
      state: 'DELIVRD',
      at: '2026-11-24T20:50:31.504Z',
    });
  });

  it('keeps a non-zero err as the error code', () => {
    const report = parseCarrierSimDeliveryReport(body({ stat: 'UNDELIV', err: '001' }));
    expect(report).toMatchObject({ state: 'UNDELIV', error: '001' });
  });

  it.each([
    ['ENROUTE', 'ENROUTE'],
    ['ACCEPTD', 'ACCEPTD'],
    ['EXPIRED', 'EXPIRED'],
    ['DELETED', 'DELETED'],
    ['UNKNOWN', 'UNKNOWN'],
    ['REJECTD', 'REJECTD'],
    ['delivrd', 'DELIVRD'],
    ['DELIVERED', 'DELIVRD'],
    ['UNDELIVERABLE', 'UNDELIV'],
    ['ACCEPTED', 'ACCEPTD'],
    ['REJECTED', 'REJECTD'],
  ])('maps stat %s to %s', (stat, state) => {
    expect(parseCarrierSimDeliveryReport(body({ stat })).state).toBe(state);
  });

  it('gives `at` in UTC when the done date has an offset', () => {
    const report = parseCarrierSimDeliveryReport(body({ doneDate: '2026-11-24T22:50:31+02:00' }));
    expect(report.at).toBe('2026-11-24T20:50:31.000Z');
  });

  it('accepts a report without err and receipt', () => {
    const { err: _err, receipt: _receipt, ...bare } = dlr;
    expect(parseCarrierSimDeliveryReport(JSON.stringify(bare)).error).toBeUndefined();
  });

  it.each([
    ['not JSON', '{"reference":'],
    ['not an object', '[]'],
    ['an unknown stat', body({ stat: 'LOST' })],
    ['a missing reference', body({ reference: undefined })],
    ['an empty carrier id', body({ carrierId: '' })],
    ['a part out of range', body({ part: 2 })],
    ['a negative part', body({ part: -1 })],
    ['a non-integer parts', body({ parts: 1.5 })],
    ['a bad done date', body({ doneDate: '2611242050' })],
  ])('throws InvalidCarrierWebhook on %s', (_name, raw) => {
    expect(() => parseCarrierSimDeliveryReport(raw)).toThrow(InvalidCarrierWebhook);
  });

  it('names the bad field in the error message', () => {
    expect(() => parseCarrierSimDeliveryReport(body({ stat: 'LOST' }))).toThrow(/stat/);
  });
});

describe('parseCarrierSimDeliveryReports (batched webhook bodies)', () => {
  it('reads an array of reports, and a single object as an array of one', () => {
    const many = parseCarrierSimDeliveryReports(
      JSON.stringify([dlr, { ...dlr, part: 0, stat: 'UNDELIV', err: '001' }]),
    );
    expect(many.map((r) => [r.part, r.state, r.error])).toEqual([
      [1, 'DELIVRD', undefined],
      [0, 'UNDELIV', '001'],
    ]);
    expect(parseCarrierSimDeliveryReports(body())).toEqual([parseCarrierSimDeliveryReport(body())]);
  });

  it('refuses an empty array, an array with one bad report, and more than the limit', () => {
    expect(() => parseCarrierSimDeliveryReports('[]')).toThrow(InvalidCarrierWebhook);
    expect(() => parseCarrierSimDeliveryReports(JSON.stringify([dlr, { ...dlr, part: 5 }]))).toThrow(
      InvalidCarrierWebhook,
    );
    const tooMany = JSON.stringify(Array.from({ length: MAX_REPORTS_PER_REQUEST + 1 }, () => dlr));
    expect(() => parseCarrierSimDeliveryReports(tooMany)).toThrow(InvalidCarrierWebhook);
  });
});

describe('parseCarrierSimMo', () => {
  const mo = {
    carrierId: 'aBc123',
    from: '+40722000001',
    to: '1234',
    text: 'STOP',
    receivedAt: '2026-11-24T20:50:30.702Z',
  };

  it('parses an MO', () => {
    expect(parseCarrierSimMo(JSON.stringify(mo))).toEqual(mo);
  });

  it('normalises receivedAt to UTC', () => {
    const parsed = parseCarrierSimMo(JSON.stringify({ ...mo, receivedAt: '2026-11-24T22:50:30.702+02:00' }));
    expect(parsed.receivedAt).toBe('2026-11-24T20:50:30.702Z');
  });

  it('throws InvalidCarrierWebhook on a bad body', () => {
    expect(() => parseCarrierSimMo('nope')).toThrow(InvalidCarrierWebhook);
    expect(() => parseCarrierSimMo(JSON.stringify({ ...mo, from: '' }))).toThrow(InvalidCarrierWebhook);
  });
});
