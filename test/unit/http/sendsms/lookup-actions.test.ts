import { describe, expect, it } from 'vitest';
import type { ActionContext } from '#http/sendsms/context';
import { hlrPerform, mnpPerform } from '#http/sendsms/lookup-actions';
import { lookupNumber } from '../../../../local/carrier-simulator/server';

const context = (lookup?: ActionContext['deps']['lookup']) =>
  ({
    deps: { ...(lookup ? { lookup } : {}) },
    caller: { accountId: 'a', keyId: 'k', account: { country: 'RO' } },
    params: { number: '0722123456' },
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
});
