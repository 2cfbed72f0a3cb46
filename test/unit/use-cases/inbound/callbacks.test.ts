import { describe, expect, it } from 'vitest';
import { isPrivateAddress, makeHttpCallbackPoster } from '#adapters/callbacks/http-callback-poster';
import { signWebhook, verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import type { CallbackJob } from '#domain/callbacks/callback';
import { dispatchCallback } from '#use-cases/callbacks/dispatch-callback';
import { makeStatusCallbacks } from '#use-cases/callbacks/status-callbacks';
import { submitMessage } from '#use-cases/submit-message';
import {
  fixedClock,
  InMemoryStore,
  ScriptedCarrier,
  sequentialIds,
  testAccount,
  testMessage,
} from '../../../support/in-memory';

const job: CallbackJob = {
  accountId: 'acc1',
  url: 'https://hooks.example.com/cb',
  method: 'POST',
  body: '{"type":"message.status"}',
  sign: true,
  eventId: 'm1.delivered',
  type: 'message.status',
};

/** A poster that records the headers of the last call and answers 200. */
function recordingPoster() {
  const sent: Record<string, string> = {};
  return {
    sent,
    poster: {
      send: async (_: CallbackJob, headers: Readonly<Record<string, string>>) => {
        Object.assign(sent, headers);
        return { ok: true as const, status: 200 };
      },
    },
  };
}

describe('dispatchCallback', () => {
  it('signs the body with the account secret and a fresh timestamp', async () => {
    // Arrange
    const { poster, sent } = recordingPoster();
    const deps = {
      poster,
      clock: fixedClock(),
      secretOf: async () => 'whsec_test',
      sign: signWebhook,
    };

    // Act
    const attempt = await dispatchCallback(deps, job);

    // Assert
    expect(attempt.ok).toBe(true);
    expect(sent).toMatchObject({ 'x-callback-id': 'm1.delivered', 'x-callback-type': 'message.status' });
    expect(
      verifyWebhook({
        secret: 'whsec_test',
        timestamp: sent['x-timestamp'],
        signature: sent['x-signature'],
        rawBody: job.body ?? '',
        nowSeconds: Number(sent['x-timestamp']),
      }),
    ).toBe(true);
  });

  it('sends an unsigned job (e.g. a report_url GET) without a signature or body', async () => {
    const { poster, sent } = recordingPoster();
    const secretReads: string[] = [];
    const deps = {
      poster,
      clock: fixedClock(),
      secretOf: async (accountId: string) => {
        secretReads.push(accountId);
        return 'whsec_test';
      },
      sign: signWebhook,
    };
    const { body: _b, ...bare } = job;
    await dispatchCallback(deps, { ...bare, method: 'GET', sign: false });
    expect(sent['x-signature']).toBeUndefined();
    expect(sent['content-type']).toBeUndefined();
    expect(secretReads).toEqual([]);
  });
});

describe('the HTTP poster', () => {
  it('refuses private, loopback and link-local addresses unless allowed', async () => {
    for (const address of ['127.0.0.1', '10.1.2.3', '169.254.169.254', '192.168.1.1', '::1', 'fd00::1']) {
      expect(isPrivateAddress(address)).toBe(true);
    }
    expect(isPrivateAddress('93.184.216.34')).toBe(false);
    const calls: unknown[] = [];
    const poster = makeHttpCallbackPoster({
      fetch: (async (url: unknown) => {
        calls.push(url);
        return new Response('ok');
      }) as typeof fetch,
    });
    const attempt = await poster.send({ ...job, url: 'http://169.254.169.254/latest/meta-data' }, {});
    expect(attempt).toMatchObject({ ok: false });
    expect(calls).toEqual([]);
  });

  it('reports a non-2xx answer and a network error as failures, never throwing', async () => {
    const failing = makeHttpCallbackPoster({
      allowPrivateHosts: true,
      fetch: (async () => new Response('no', { status: 503 })) as typeof fetch,
    });
    expect(await failing.send(job, {})).toEqual({ ok: false, status: 503, error: 'HTTP 503' });
    const broken = makeHttpCallbackPoster({
      allowPrivateHosts: true,
      fetch: (async () => {
        throw new Error('ECONNREFUSED');
      }) as typeof fetch,
    });
    expect(await broken.send(job, {})).toEqual({ ok: false, error: 'ECONNREFUSED' });
  });
});

describe('the send path hooks', () => {
  const message = testMessage({ from: '1898' });

  async function submit(from: string, callbackUrl?: string) {
    const store = new InMemoryStore();
    store.accounts.set('acc1', testAccount({ reserved: 450 }));
    store.messages.set('acc1/m1', {
      ...message,
      from,
      ...(callbackUrl ? { callbackUrl } : {}),
      partStates: {},
    });
    const routes: unknown[] = [];
    const jobs: CallbackJob[] = [];
    await submitMessage(
      {
        messages: store.messageRepo,
        carrier: new ScriptedCarrier(true),
        clock: fixedClock(),
        ids: sequentialIds(),
        replyRoutes: { recordLastSent: async (r) => void routes.push(r) },
        statusChanged: makeStatusCallbacks({ enqueue: async (j) => void jobs.push(...j) }, () => {}),
      },
      { accountId: 'acc1', messageId: 'm1' },
    );
    return { routes, jobs };
  }

  it('records "last sent" only for a numeric sender (alphanumeric senders cost no extra write)', async () => {
    expect((await submit('1898')).routes).toEqual([
      { address: '1898', to: '+40722123456', accountId: 'acc1', messageId: 'm1', at: expect.any(String) },
    ]);
    expect((await submit('DemoShop')).routes).toEqual([]);
  });

  it('enqueues a status callback only for a message with a callback URL', async () => {
    expect((await submit('Shop')).jobs).toEqual([]);
    const { jobs } = await submit('Shop', 'https://hooks.example.com/cb');
    expect(jobs).toEqual([
      expect.objectContaining({ eventId: 'm1.submitted', url: 'https://hooks.example.com/cb' }),
    ]);
  });

  it('a callback queue failure does not fail the status change', async () => {
    const errors: unknown[] = [];
    const hook = makeStatusCallbacks(
      {
        enqueue: async () => {
          throw new Error('SQS down');
        },
      },
      (error) => errors.push(error),
    );
    await expect(
      hook({ ...message, callbackUrl: 'https://hooks.example.com/cb' }, { status: 'submitted', at: 'now' }),
    ).resolves.toBeUndefined();
    expect(errors).toHaveLength(1);
  });
});
