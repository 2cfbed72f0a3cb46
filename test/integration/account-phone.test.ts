import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages } from '../support/api';
import { httpBuildQuery, newSendsmsAccount, sendsms } from '../support/sendsms';

const CODE = /^Your verification code is (\d{6})\. It expires in 10 minutes\.$/;

/** The code the simulator received for `to` (matched on number and text). */
async function codeSentTo(to: string, excluding: readonly string[] = []): Promise<string> {
  const codes = (list: Awaited<ReturnType<typeof simMessages>>) =>
    list
      .filter((m) => m.to === to)
      .map((m) => CODE.exec(m.text)?.[1])
      .filter((c): c is string => c !== undefined && !excluding.includes(c));
  const list = await eventually(simMessages, (l) => codes(l).length > 0);
  return codes(list)[0] ?? '';
}

const otherCode = (code: string) => String((Number(code) + 1) % 1_000_000).padStart(6, '0');

describe('verified phone (PUT /v1/account/phone, POST /v1/account/phone/verify)', () => {
  it('sends a free code by SMS; the code verifies the number, which user_get_phone_number answers', async () => {
    // Arrange: no credit at all; the code SMS costs nothing.
    const account = await newSendsmsAccount('0');
    const to = mobile('51');
    const auth = { username: account.username, password: account.password };
    const before = await sendsms(httpBuildQuery({ action: 'user_get_phone_number', ...auth }));
    // Act
    const sent = await call<{ number: string; expiresAt: string; messageId: string }>(
      'PUT',
      '/v1/account/phone',
      {
        key: account.apiKey,
        body: { number: to },
      },
    );
    const code = await codeSentTo(to);
    const wrong = await call('POST', '/v1/account/phone/verify', {
      key: account.apiKey,
      body: { code: otherCode(code) },
    });
    const verified = await call<{ phone: string; phoneVerifiedAt: string; balance: string }>(
      'POST',
      '/v1/account/phone/verify',
      { key: account.apiKey, body: { code } },
    );
    const again = await call('POST', '/v1/account/phone/verify', { key: account.apiKey, body: { code } });
    const after = await sendsms(httpBuildQuery({ action: 'user_get_phone_number', ...auth }));
    const shown = await call<{ phone: string; balance: string }>('GET', '/v1/account', {
      key: account.apiKey,
    });
    // Assert
    expect(before.body).toEqual({ status: 0, message: 'No verified phone number', details: null });
    expect(sent.status).toBe(202);
    expect(sent.body.number).toBe(to);
    expect(Date.parse(sent.body.expiresAt) - Date.now()).toBeGreaterThan(9 * 60_000);
    expect(wrong.status).toBe(400);
    expect(wrong.body).toMatchObject({ error: { details: { attemptsLeft: 4 } } });
    expect(verified.status).toBe(200);
    expect(verified.body.phone).toBe(to);
    expect(Date.parse(verified.body.phoneVerifiedAt)).toBeGreaterThan(Date.now() - 60_000);
    expect(again.status).toBe(404);
    expect(after.body).toEqual({ status: 0, message: 'OK', details: to.slice(1) });
    expect(shown.body).toMatchObject({ phone: to, balance: '0.0000' });
    const message = await call<{ cost: string; to: string; text: string }>(
      'GET',
      `/v1/messages/${sent.body.messageId}`,
      { key: account.apiKey },
    );
    // The account never reads the code back: it must come from the phone.
    expect(message.body).toMatchObject({ to, cost: '0.0000', text: expect.stringContaining('******') });
    expect(message.body.text).not.toContain(code);
  });

  it('locks the code after 5 wrong tries: the right code and a new code are refused until it expires', async () => {
    const account = await newAccount('0');
    const to = mobile('52');
    expect(
      (await call('PUT', '/v1/account/phone', { key: account.apiKey, body: { number: to } })).status,
    ).toBe(202);
    const code = await codeSentTo(to);
    const answers = [];
    for (let i = 0; i < 5; i++) {
      answers.push(
        await call('POST', '/v1/account/phone/verify', {
          key: account.apiKey,
          body: { code: otherCode(code) },
        }),
      );
    }
    expect(answers.map((a) => a.status)).toEqual([400, 400, 400, 400, 403]);
    expect(
      answers.map((a) => (a.body as { error: { details?: { attemptsLeft?: number } } }).error.details),
    ).toMatchObject([{ attemptsLeft: 4 }, { attemptsLeft: 3 }, { attemptsLeft: 2 }, { attemptsLeft: 1 }, {}]);
    expect(answers[4]?.body).toMatchObject({ error: { code: 'VERIFICATION_LOCKED' } });
    const right = await call('POST', '/v1/account/phone/verify', { key: account.apiKey, body: { code } });
    const resend = await call('PUT', '/v1/account/phone', { key: account.apiKey, body: { number: to } });
    expect(right.status).toBe(403);
    expect(resend.status).toBe(403);
    expect(resend.body).toMatchObject({ error: { code: 'VERIFICATION_LOCKED' } });
    const shown = await call('GET', '/v1/account', { key: account.apiKey });
    expect(shown.body).not.toHaveProperty('phone');
  });

  it('rate-limits resends (429 with Retry-After) and refuses invalid input', async () => {
    const account = await newAccount('0');
    const first = await call('PUT', '/v1/account/phone', {
      key: account.apiKey,
      body: { number: mobile('53') },
    });
    const second = await call('PUT', '/v1/account/phone', {
      key: account.apiKey,
      body: { number: mobile('54') },
    });
    const invalid = await call('PUT', '/v1/account/phone', { key: account.apiKey, body: { number: '12' } });
    const badCode = await call('POST', '/v1/account/phone/verify', {
      key: account.apiKey,
      body: { code: 'abc' },
    });
    expect(first.status).toBe(202);
    expect(second.status).toBe(429);
    expect(Number(second.headers.get('retry-after'))).toBeGreaterThan(0);
    expect(invalid.status).toBe(422);
    expect(badCode.status).toBe(400);
  });

  it("isolation: account B cannot use A's code; A's pending code is untouched and still verifies A", async () => {
    const a = await newAccount('0');
    const b = await newAccount('0');
    const to = mobile('55');
    await call('PUT', '/v1/account/phone', { key: a.apiKey, body: { number: to } });
    const code = await codeSentTo(to);
    const byB = await call('POST', '/v1/account/phone/verify', { key: b.apiKey, body: { code } });
    expect(byB.status).toBe(404);
    expect(JSON.stringify(byB.body)).not.toContain(a.id);
    expect((await call('GET', '/v1/account', { key: b.apiKey })).body).not.toHaveProperty('phone');
    const byA = await call('POST', '/v1/account/phone/verify', { key: a.apiKey, body: { code } });
    expect(byA.status).toBe(200);
    expect(byA.body).toMatchObject({ id: a.id, phone: to });
  });

  it('one number gets at most 5 codes a day, whichever accounts ask (429 until UTC midnight)', async () => {
    const to = mobile('56');
    const statuses: number[] = [];
    for (let i = 0; i < 6; i++) {
      const account = await newAccount('0');
      statuses.push(
        (await call('PUT', '/v1/account/phone', { key: account.apiKey, body: { number: to } })).status,
      );
    }
    expect(statuses).toEqual([202, 202, 202, 202, 202, 429]);
    const sent = await eventually(
      simMessages,
      (l) => l.filter((m) => m.to === to && CODE.test(m.text)).length >= 5,
    );
    expect(sent.filter((m) => m.to === to && CODE.test(m.text))).toHaveLength(5);
  });
});
