import { describe, expect, it } from 'vitest';
import type { CallbackJob } from '#domain/callbacks/callback';
import { reportQueryJob } from '#domain/callbacks/report-url';
import type { ActionContext } from '#http/sendsms/context';
import { hlrPerform, hlrPerformSynchronous, mnpPerform } from '#http/sendsms/lookup-actions';
import { lookupNumber } from '../../../../local/carrier-simulator/server';

const context = (
  lookup?: ActionContext['deps']['lookup'],
  params: Record<string, string> = {},
  enqueued: CallbackJob[] = [],
) =>
  ({
    deps: {
      ...(lookup ? { lookup } : {}),
      ids: { newId: () => 'hlr-1' },
      callbacks: { enqueue: async (jobs: CallbackJob[]) => void enqueued.push(...jobs) },
    },
    caller: { accountId: 'a', keyId: 'k', account: { country: 'RO' } },
    params: { number: '0722123456', ...params },
    files: {},
    baseUrl: 'https://api.example',
  }) as unknown as ActionContext;

describe('hlr_perform / mnp_perform', () => {
  it('answer -32 when the carrier offers no lookups (End User Messaging)', async () => {
    expect((await hlrPerform(context())).status).toBe(-32);
    expect((await mnpPerform(context(async () => undefined))).status).toBe(-32);
  });

  it('pass the number in E.164 and shape the answer', async () => {
    const asked: string[] = [];
    const answer = await mnpPerform(
      context(async (number) => {
        asked.push(number);
        return lookupNumber(number) as never;
      }),
    );
    expect(asked).toEqual(['+40722123456']);
    expect(answer).toEqual({
      status: 0,
      message: 'OK',
      details: {
        number: '40722123456',
        network: 'Vodafone RO',
        ported: false,
        original_network: 'Vodafone RO',
      },
    });
  });

  it('hlr_perform with report_url answers 1 (queued) and enqueues the result as a GET of report_url', async () => {
    const enqueued: CallbackJob[] = [];
    const simulator = async (number: string) => lookupNumber(number) as never;
    const answer = await hlrPerform(
      context(simulator, { report_url: 'https://shop.example/hlr?ref=7#x' }, enqueued),
    );
    expect(answer).toEqual({ status: 1, message: 'Queued', details: 'hlr-1' });
    expect(enqueued).toEqual([
      {
        accountId: 'a',
        url: 'https://shop.example/hlr?ref=7&id=hlr-1&number=40722123456&status=active&reachable=1&network=Vodafone+RO&ported=0',
        method: 'GET',
        sign: false,
        eventId: 'hlr.hlr-1',
        type: 'hlr.result',
      },
    ]);
    // Without report_url (and for hlr_perform_synchronous) the answer carries the result; nothing queued.
    expect((await hlrPerform(context(simulator, {}, enqueued))).details).toMatchObject({ status: 'active' });
    expect(
      (await hlrPerformSynchronous(context(simulator, { report_url: 'https://x.example/' }, enqueued)))
        .status,
    ).toBe(0);
    expect(enqueued).toHaveLength(1);
  });

  it('hlr_perform refuses a report_url that is not absolute http(s) (-128) before looking up', async () => {
    const enqueued: CallbackJob[] = [];
    let asked = 0;
    for (const report_url of ['ftp://x.example/', '/relative', 'https://user:pw@x.example/']) {
      const answer = await hlrPerform(
        context(
          async () => {
            asked++;
            return undefined;
          },
          { report_url },
          enqueued,
        ),
      ).catch((error: Error) => error.name);
      expect(answer).toBe('InvalidParameter');
    }
    expect(asked).toBe(0);
    expect(enqueued).toEqual([]);
  });
});

describe('reportQueryJob', () => {
  it('appends the result to the customer query without re-encoding it', () => {
    const job = (url: string) =>
      reportQueryJob({ accountId: 'a', url, query: { a: '1 2', b: '&' }, eventId: 'e', type: 't' }).url;
    expect(job('https://x.example/cb')).toBe('https://x.example/cb?a=1+2&b=%26');
    expect(job('https://x.example/cb?s=%d&t=ä')).toBe('https://x.example/cb?s=%d&t=ä&a=1+2&b=%26');
    expect(job('https://x.example/cb?')).toBe('https://x.example/cb?a=1+2&b=%26');
  });
});
