import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages } from '../support/api';
import { httpBuildQuery, newSendsmsAccount, type SendsmsAnswer, sendsms } from '../support/sendsms';
import { buildZip, xlsxFromXml } from '../support/spreadsheet-fixtures';

const q = (params: Record<string, string | number>) => httpBuildQuery(params);

describe('/json: the sendSMS-compatible API', () => {
  it('answers ping without credentials, -1 without an action and -2 for an unknown one', async () => {
    // Arrange
    const account = await newSendsmsAccount();
    // Act
    const ping = await sendsms(q({ action: 'ping' }));
    const none = await sendsms('');
    const unknown = await sendsms(
      q({ action: 'no_such', username: account.username, password: account.password }),
    );
    // Assert
    expect(ping).toEqual({ http: 200, body: { status: 0, message: 'OK', details: 'pong' } });
    expect(none.http).toBe(200);
    expect(none.body).toMatchObject({ status: -1, details: null });
    expect(unknown.body).toMatchObject({ status: -2, details: null });
  });

  it('refuses bad credentials with -8 and a missing password with -4', async () => {
    const account = await newSendsmsAccount();
    const wrong = await sendsms(
      q({ action: 'user_get_balance', username: account.username, password: 'nope-nope-nope' }),
    );
    const nobody = await sendsms(
      q({ action: 'user_get_balance', username: 'nobody-here', password: account.password }),
    );
    const foreignKey = await sendsms(
      q({ action: 'user_get_balance', username: account.username, password: (await newAccount('0')).apiKey }),
    );
    const missing = await sendsms(q({ action: 'user_get_balance', username: account.username }));
    for (const answer of [wrong, nobody, foreignKey]) {
      expect(answer.http).toBe(200);
      expect(answer.body.status).toBe(-8);
      expect(JSON.stringify(answer.body)).not.toContain(account.password);
    }
    expect(missing.body).toMatchObject({ status: -4, message: 'Missing parameter: password' });
  });

  it('sends with a password or an API key, and message_status follows the message to delivered', async () => {
    // Arrange
    const account = await newSendsmsAccount('1.0000');
    const to = mobile('37');
    // Act
    const sent = await sendsms<string>(
      q({
        action: 'message_send',
        username: account.username,
        password: account.password,
        to: to.slice(1),
        text: 'Comanda #7 a fost expediată',
      }),
    );
    const byKey = await sendsms<string>(
      q({
        action: 'message_send',
        username: account.username,
        password: account.apiKey,
        to,
        text: 'cu cheie',
      }),
    );
    // Assert
    expect(sent.body).toMatchObject({ status: 1, message: 'Sent' });
    expect(typeof sent.body.details).toBe('string');
    expect(byKey.body.status).toBe(1);
    await eventually(simMessages, (list) =>
      list.some((m) => m.to === to && m.text === 'Comanda #7 a fost expediată'),
    );
    const status = await eventually(
      () =>
        sendsms<{ status: number; cost: number; parts: number }>(
          q({
            action: 'message_status',
            username: account.username,
            password: account.password,
            message_id: sent.body.details,
          }),
        ),
      (r) => r.body.details?.status === 1,
    );
    expect(status.body).toMatchObject({
      status: 0,
      details: { status: 1, status_text: 'delivered', parts: 1, cost: 0.045 },
    });
    const balance = await sendsms<number>(
      q({ action: 'user_get_balance', username: account.username, password: account.password }),
    );
    expect(balance.body).toMatchObject({ status: 0 });
    expect(balance.body.details).toBeCloseTo(1 - 2 * 0.045, 4);
    const own = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    expect(balance.body.details).toBe(Number(own.body.balance));
  });

  it('maps the platform refusals to the upstream codes', async () => {
    const poor = await newSendsmsAccount('0');
    const auth = { username: poor.username, password: poor.password };
    const noCredit = await sendsms(q({ action: 'message_send', ...auth, to: mobile(), text: 'hi' }));
    const badNumber = await sendsms(q({ action: 'message_send', ...auth, to: '12', text: 'hi' }));
    const noText = await sendsms(q({ action: 'message_send', ...auth, to: mobile() }));
    const unknownMessage = await sendsms(q({ action: 'message_status', ...auth, message_id: 'nope' }));
    expect(noCredit.body.status).toBe(-64);
    expect(badNumber.body.status).toBe(-128);
    expect(noText.body).toMatchObject({ status: -4, message: 'Missing parameter: text' });
    expect(unknownMessage.body.status).toBe(-128);
  });

  it('route_check_price answers { cost, status: 64 } for a routable number and -32 otherwise', async () => {
    const account = await newSendsmsAccount();
    const auth = { username: account.username, password: account.password };
    const routable = await sendsms<{ cost: number; status: number; reason: string }>(
      q({ action: 'route_check_price', ...auth, to: '40722123456' }),
    );
    const unroutable = await sendsms(q({ action: 'route_check_price', ...auth, to: '+447911123456' }));
    expect(routable.body).toMatchObject({
      status: 0,
      details: { cost: 0.045, status: 64, reason: 'Routable' },
    });
    expect(unroutable.body.status).toBe(-32);
  });

  it('user_get_info, get_user_pricing_list, user_transfer_funds and execute_multiple', async () => {
    const parent = await newSendsmsAccount('2.0000');
    const auth = { username: parent.username, password: parent.password };
    const subName = `sub${parent.username}`;
    const sub = await call('POST', '/v1/subusers', {
      key: parent.apiKey,
      body: { username: subName, password: 'Sub-parola 1234', billing: 'separate' },
    });
    expect(sub.status).toBe(201);

    const info = await sendsms<Record<string, unknown>>(q({ action: 'user_get_info', ...auth }));
    expect(info.body).toMatchObject({
      status: 0,
      details: { username: parent.username, balance: 2, currency: 'EUR' },
    });
    const pricing = await sendsms<{ prefix: string; cost: number }[]>(
      q({ action: 'get_user_pricing_list', ...auth }),
    );
    expect(pricing.body.details).toContainEqual(expect.objectContaining({ prefix: '40', cost: 0.045 }));
    const moved = await sendsms(
      q({ action: 'user_transfer_funds', ...auth, target_username: subName, amount: '0.5' }),
    );
    expect(moved.body).toMatchObject({ status: 0, details: { balance: 1.5, target_balance: 0.5 } });
    const subBalance = await sendsms<number>(
      q({ action: 'user_get_balance', username: subName, password: 'Sub-parola 1234' }),
    );
    expect(subBalance.body.details).toBe(0.5);
    const notMine = await sendsms(
      q({ action: 'user_transfer_funds', ...auth, target_username: 'demo', amount: '0.1' }),
    );
    expect(notMine.body.status).toBeLessThan(0);

    const multiple = await sendsms<SendsmsAnswer[]>(q({ action: 'execute_multiple', ...auth }), {
      body: `data=${encodeURIComponent(
        JSON.stringify([
          { command: 'user_get_balance', params: {} },
          { command: 'route_check_price', params: { to: '40722123456' } },
          { command: 'nope', params: {} },
        ]),
      )}`,
    });
    expect(multiple.body.status).toBe(0);
    expect(multiple.body.details.map((a) => a.status)).toEqual([0, 0, -2]);
    expect(multiple.body.details[0]?.details).toBe(1.5);
  });

  it("applies the account's request rate limit as -4096", async () => {
    const account = await newSendsmsAccount('1.0000', { requestsPerSecond: 1 });
    // The API key as password: no scrypt check spreading the burst over several seconds.
    const auth = { username: account.username, password: account.apiKey };
    const answers = await Promise.all(
      Array.from({ length: 6 }, () => sendsms(q({ action: 'user_get_balance', ...auth }))),
    );
    const statuses = answers.map((a) => a.body.status);
    expect(statuses).toContain(-4096);
    expect(statuses.filter((s) => s === 0).length).toBeLessThanOrEqual(2);
  });

  it('batch_create takes an xlsx file part, a base64 zip, and refuses what it cannot read', async () => {
    const account = await newSendsmsAccount('1.0000');
    const auth = { username: account.username, password: account.password };
    const [a, b] = [mobile('21').slice(1), mobile('22').slice(1)];
    const cell = (ref: string, text: string) => `<c r="${ref}" t="inlineStr"><is><t>${text}</t></is></c>`;
    const xlsx = xlsxFromXml({
      sheets: [
        {
          name: 'Clienti',
          xml: `<row r="1">${cell('A1', 'message')}${cell('B1', 'to')}</row><row r="2">${cell('A2', 'Din xlsx')}${cell('B2', a)}</row>`,
        },
      ],
    });
    const form = new FormData();
    form.set('data', new Blob([new Uint8Array(xlsx)]), 'clienti.xlsx');
    const fromXlsx = await sendsms<string>(
      q({ action: 'batch_create', ...auth, name: 'xlsx', file_type: 'xlsx' }),
      {
        body: form,
      },
    );
    expect(fromXlsx.body.status).toBe(0);
    const zip = buildZip([{ name: 'lista.csv', data: `to,message\n${b},Din zip\n` }]).toString('base64');
    const fromZip = await sendsms<string>(
      q({ action: 'batch_create', ...auth, name: 'zip', file_type: 'zip' }),
      {
        body: httpBuildQuery({ data: zip }),
      },
    );
    expect(fromZip.body.status).toBe(0);
    for (const id of [fromXlsx.body.details, fromZip.body.details]) {
      const ready = await eventually(
        () =>
          sendsms<{ status: string; messages: number }>(
            q({ action: 'batch_check_status', ...auth, batch_id: id }),
          ),
        (r) => r.body.details?.status === 'ready',
        { timeoutMs: 30_000 },
      );
      expect(ready.body.details.messages).toBe(1);
    }

    const noData = await sendsms(q({ action: 'batch_create', ...auth, name: 'x' }), { body: 'other=1' });
    const badHeader = await sendsms(q({ action: 'batch_create', ...auth, name: 'x' }), {
      body: httpBuildQuery({ data: 'phone,text\n40722123456,hi\n' }),
    });
    const ods = await sendsms(q({ action: 'batch_create', ...auth, name: 'x', file_type: 'ods' }), {
      body: httpBuildQuery({ data: 'to,message\n40722123456,hi\n' }),
    });
    const tooFast = await sendsms(q({ action: 'batch_create', ...auth, name: 'x', throughput: 500 }), {
      body: httpBuildQuery({ data: 'to,message\n40722123456,hi\n' }),
    });
    const notReady = await sendsms(q({ action: 'batch_start', ...auth, batch_id: 'nope' }));
    expect(noData.body).toMatchObject({ status: -4, message: 'Missing parameter: data' });
    expect(badHeader.body.status).toBe(-128);
    expect(ods.body.status).toBe(-128);
    expect(tooFast.body.status).toBe(-128);
    expect(notReady.body.status).toBe(-128);
  });

  it('messages_statistics counts the period by status, with parts and cost', async () => {
    const account = await newSendsmsAccount('1.0000');
    const auth = { username: account.username, password: account.password };
    for (const suffix of ['14', '00']) {
      const sent = await sendsms(
        q({ action: 'message_send', ...auth, to: mobile(suffix), text: 'statistici' }),
      );
      expect(sent.body.status).toBe(1);
    }
    // Today in the account's time zone (the dates are read there).
    const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'Europe/Bucharest' }).format(new Date());
    const stats = await eventually(
      () =>
        sendsms<{ messages: number; by_status: Record<string, number>; cost: number }>(
          q({ action: 'messages_statistics', ...auth, start_date: today, end_date: today }),
        ),
      (r) => r.body.details?.by_status?.delivered === 1 && r.body.details.by_status.undelivered === 1,
      { timeoutMs: 20_000 },
    );
    expect(stats.body).toMatchObject({ status: 0, details: { messages: 2, cost: 0.09 } });
    const bad = await sendsms(q({ action: 'messages_statistics', ...auth, start_date: 'ieri' }));
    expect(bad.body.status).toBe(-128);
  });

  it('hlr_perform and mnp_perform ask the carrier (the simulator offers lookups)', async () => {
    const account = await newSendsmsAccount('0');
    const auth = { username: account.username, password: account.password };
    const hlr = await sendsms<{ status: string; reachable: boolean; network: string }>(
      q({ action: 'hlr_perform', ...auth, number: '40722123400' }),
    );
    expect(hlr.body).toMatchObject({
      status: 0,
      details: { status: 'absent', reachable: false, network: 'Vodafone RO' },
    });
    const mnp = await sendsms<{ ported: boolean; network: string; original_network: string }>(
      q({ action: 'mnp_perform', ...auth, number: '0745123457' }),
    );
    expect(mnp.body).toMatchObject({
      status: 0,
      details: { number: '40745123457', ported: true, network: 'Digi RO', original_network: 'Orange RO' },
    });
    const missing = await sendsms(q({ action: 'mnp_perform', ...auth }));
    expect(missing.body).toMatchObject({ status: -4, message: 'Missing parameter: number' });
  });
});
