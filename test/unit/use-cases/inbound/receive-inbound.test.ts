import { describe, expect, it } from 'vitest';
import type { CallbackJob } from '#domain/callbacks/callback';
import type { InboundMessage, ReceivedMo, UnmatchedInbound } from '#domain/inbound/inbound-message';
import type { InboundRepository, ReplyRoute, ReplyRoutes } from '#ports/inbound';
import { type ReceiveInboundDeps, receiveInbound } from '#use-cases/inbound/receive-inbound';
import { testAccount } from '../../../support/in-memory';

/** In-memory ports: routes keyed `<address>|<from>`, replies by id, blocked `<account>|<number>`. */
function setup(routes: Record<string, ReplyRoute>, accountOverrides = {}) {
  const saved = new Map<string, InboundMessage>();
  const blocked = new Map<string, string>();
  const jobs: CallbackJob[] = [];
  const replyRoutes: ReplyRoutes = {
    recordLastSent: async () => {},
    find: async (address, from) => routes[`${address}|${from}`],
  };
  const inbound: InboundRepository = {
    save: async (m) => {
      if (saved.has(m.id)) return false;
      saved.set(m.id, m);
      return true;
    },
    list: async () => ({ items: [...saved.values()] }),
    optOut: async ({ accountId, number, reason }) => {
      if (!blocked.has(`${accountId}|${number}`)) blocked.set(`${accountId}|${number}`, reason);
    },
  };
  const deps: ReceiveInboundDeps = {
    routes: replyRoutes,
    inbound,
    accounts: { get: async (id) => (id === 'acc1' ? testAccount(accountOverrides) : undefined) },
    callbacks: { enqueue: async (j) => void jobs.push(...j) },
    defaultCountry: 'RO',
  };
  return { deps, saved, blocked, jobs };
}

const mo = (text: string, extra: Partial<ReceivedMo> = {}): ReceivedMo => ({
  carrier: 'sim',
  carrierId: 'AbC123',
  from: '40722123456',
  to: '+1898',
  text,
  receivedAt: '2026-11-24T10:00:00.000Z',
  ...extra,
});

const route = { '1898|+40722123456': { accountId: 'acc1', routedBy: 'last-sent', messageId: 'm9' } } as const;

describe('receiveInbound', () => {
  it('routes a reply to the last sender, stores it once, normalising the replier to E.164', async () => {
    // Arrange
    const { deps, saved, blocked, jobs } = setup(route);

    // Act
    const first = await receiveInbound(deps, mo('Da'));
    const again = await receiveInbound(deps, mo('Da'));

    // Assert
    expect([first, again]).toEqual(['stored', 'duplicate']);
    expect([...saved.values()]).toEqual([
      expect.objectContaining({
        accountId: 'acc1',
        from: '+40722123456',
        to: '+1898',
        routedBy: 'last-sent',
        inReplyTo: 'm9',
        optOut: false,
      }),
    ]);
    expect(blocked.size).toBe(0);
    expect(jobs).toEqual([]);
  });

  it('is unrouted when nobody sent to the replier from that number (or the number is not numeric)', async () => {
    const { deps, saved } = setup(route);
    expect(await receiveInbound(deps, mo('Da', { from: '40722999999' }))).toBe('unrouted');
    expect(await receiveInbound(deps, mo('Da', { to: 'DemoShop' }))).toBe('unrouted');
    expect(saved.size).toBe(0);
  });

  it('keeps a reply that matched no account for the operator, once, never in an account', async () => {
    // Arrange
    const { deps, saved } = setup(route);
    const kept = new Map<string, UnmatchedInbound>();
    const withStore: ReceiveInboundDeps = {
      ...deps,
      unmatched: {
        save: async (reply) => {
          if (kept.has(reply.id)) return false;
          kept.set(reply.id, reply);
          return true;
        },
        list: async () => ({ items: [...kept.values()] }),
      },
    };

    // Act
    await receiveInbound(withStore, mo('Cine sunteti?', { from: '40722999999' }));
    await receiveInbound(withStore, mo('Cine sunteti?', { from: '40722999999' }));
    await receiveInbound(withStore, mo('Da'));

    // Assert
    expect([...kept.values()]).toEqual([
      {
        id: 'sim-QWJDMTIz',
        from: '+40722999999',
        to: '+1898',
        text: 'Cine sunteti?',
        receivedAt: '2026-11-24T10:00:00.000Z',
        carrier: 'sim',
        carrierId: 'AbC123',
      },
    ]);
    expect([...saved.values()].map((m) => m.text)).toEqual(['Da']);
  });

  it("a STOP reply puts the replier on the account's blocklist with the opt-out reason", async () => {
    const { deps, saved, blocked } = setup(route);
    await receiveInbound(deps, mo('Stop!'));
    expect([...saved.values()][0]?.optOut).toBe(true);
    expect(blocked.get('acc1|+40722123456')).toBe('opt-out (STOP reply)');
  });

  it('forwards to the callback URL only with replies switched on', async () => {
    const off = setup(route, { callbackUrl: 'https://hooks.example.com/r', receivesReplies: false });
    await receiveInbound(off.deps, mo('Da'));
    expect(off.jobs).toEqual([]);

    const on = setup(route, { callbackUrl: 'https://hooks.example.com/r', receivesReplies: true });
    await receiveInbound(on.deps, mo('Da'));
    expect(on.jobs).toEqual([
      expect.objectContaining({ url: 'https://hooks.example.com/r', sign: true, type: 'message.inbound' }),
    ]);
    expect(JSON.parse(on.jobs[0]?.body ?? '{}')).toMatchObject({
      from: '+40722123456',
      text: 'Da',
      optOut: false,
    });
  });
});
