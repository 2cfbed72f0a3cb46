import { describe, expect, it } from 'vitest';
import { eventually } from '../support/api';
import { startCallbackReceiver } from '../support/callback-receiver';
import { httpBuildQuery, newSendsmsAccount, sendsms } from '../support/sendsms';

describe('hlr_perform with report_url (result by HTTP callback)', () => {
  it('answers 1 with an id, then GETs report_url with the lookup result of the simulator', async () => {
    // Arrange
    const receiver = await startCallbackReceiver();
    try {
      const account = await newSendsmsAccount('0');
      const auth = { username: account.username, password: account.password };
      // Act
      const queued = await sendsms<string>(
        httpBuildQuery({
          action: 'hlr_perform',
          ...auth,
          number: '40722123400',
          report_url: `${receiver.url}/hlr?order=77`,
        }),
      );
      // Assert: the simulator's GET /lookup says 40722123400 is absent, on Vodafone RO.
      expect(queued.body).toMatchObject({ status: 1, message: 'Queued' });
      const id = queued.body.details;
      expect(id).toMatch(/^\S+$/);
      const received = await eventually(
        async () => receiver.received.filter((r) => r.path.startsWith('/hlr?')),
        (calls) => calls.length >= 1,
        { timeoutMs: 20_000 },
      );
      expect(received).toHaveLength(1);
      expect(received[0]?.method).toBe('GET');
      const query = new URL(received[0]?.path ?? '', receiver.url).searchParams;
      expect(Object.fromEntries(query)).toEqual({
        order: '77',
        id,
        number: '40722123400',
        status: 'absent',
        reachable: '0',
        network: 'Vodafone RO',
        ported: '0',
      });
      expect(received[0]?.headers['x-callback-type']).toBe('hlr.result');
    } finally {
      await receiver.close();
    }
  });

  it('refuses a report_url that is not absolute http(s) with -128; without one it answers at once', async () => {
    const account = await newSendsmsAccount('0');
    const auth = { username: account.username, password: account.password };
    const bad = await sendsms(
      httpBuildQuery({ action: 'hlr_perform', ...auth, number: '40722123400', report_url: 'ftp://x' }),
    );
    const now = await sendsms(httpBuildQuery({ action: 'hlr_perform', ...auth, number: '40722123400' }));
    const sync = await sendsms(
      httpBuildQuery({ action: 'hlr_perform_synchronous', ...auth, number: '40722123400' }),
    );
    expect(bad.body.status).toBe(-128);
    for (const answer of [now, sync]) {
      expect(answer.body).toMatchObject({
        status: 0,
        details: { number: '40722123400', status: 'absent', reachable: false, network: 'Vodafone RO' },
      });
    }
  });
});
