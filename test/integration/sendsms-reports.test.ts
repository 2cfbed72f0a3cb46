import { describe, expect, it } from 'vitest';
import { eventually, mobile } from '../support/api';
import { startCallbackReceiver } from '../support/callback-receiver';
import { httpBuildQuery, newSendsmsAccount, sendsms } from '../support/sendsms';

describe('report_url delivery reports (Kannel-style %d)', () => {
  it('GETs report_url with %d = the status bit, for the statuses report_mask selects', async () => {
    // Arrange
    const receiver = await startCallbackReceiver();
    try {
      const account = await newSendsmsAccount('1.0000');
      const auth = { username: account.username, password: account.password };
      // Act: mask 9 = delivered (1) + sent to network (8); default 19 = delivered, undelivered, failed.
      const delivered = await sendsms<string>(
        httpBuildQuery({
          action: 'message_send',
          ...auth,
          to: mobile('44'),
          text: 'cu raport',
          report_mask: 9,
          report_url: `${receiver.url}/dlr?id=order-1&status=%d`,
        }),
      );
      const undelivered = await sendsms<string>(
        httpBuildQuery({
          action: 'message_send',
          ...auth,
          to: mobile('00'),
          text: 'nelivrat',
          report_url: `${receiver.url}/dlr?id=order-2&status=%d`,
        }),
      );
      // Assert
      expect(delivered.body.status).toBe(1);
      expect(undelivered.body.status).toBe(1);
      await eventually(
        async () => receiver.received.map((r) => `${r.method} ${r.path}`).sort(),
        (paths) => paths.length >= 3,
        { timeoutMs: 20_000 },
      );
      const paths = receiver.received.map((r) => `${r.method} ${r.path}`).sort();
      expect(paths).toEqual([
        'GET /dlr?id=order-1&status=1',
        'GET /dlr?id=order-1&status=8',
        'GET /dlr?id=order-2&status=2',
      ]);
      const bad = await sendsms(
        httpBuildQuery({ action: 'message_send', ...auth, to: mobile(), text: 'x', report_url: 'ftp://x' }),
      );
      expect(bad.body.status).toBe(-128);
    } finally {
      await receiver.close();
    }
  });
});
