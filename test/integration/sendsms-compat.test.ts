import { describe, expect, it } from 'vitest';
import { eventually, mobile, simMessages } from '../support/api';
import {
  httpBuildQuery,
  newSendsmsAccount,
  phpUrlencode,
  type SendsmsAnswer,
  sendsms,
} from '../support/sendsms';

/**
 * The request shapes the public plugins send, replayed byte for byte, and what they read back:
 * sendSMS-RO/sendsms-for-woocommerce (src/Api/Client.php: http_build_query RFC 1738 query strings, a
 * `url` header, `batch_create` with a form field `data` holding a CSV whose header is `message,to,from`),
 * sendSMS-RO/sendsms-laravel (ApiCommunication.php: hand-built `&name=urlencode(value)` query strings,
 * booleans as "true"/"false", `data=urlencode(file)` POST bodies) and Pipedream's sendsms app (axios
 * params). They all treat `status >= 0` as success.
 */
const SHOP = 'https://magazin.example.ro';

describe('what the WooCommerce plugin sends', () => {
  it('get_balance, send_message, route_check_price: status >= 0 and the details it reads', async () => {
    const account = await newSendsmsAccount('3.0000', { senderIds: ['MagazinRo'] });
    const phone = mobile('41').slice(1);

    const balance = await sendsms<number>(
      httpBuildQuery({ action: 'user_get_balance', username: account.username, password: account.password }),
    );
    expect(balance.body.status).toBeGreaterThanOrEqual(0);
    expect(balance.body.details).toBe(3);

    const sent = await sendsms<string>(
      httpBuildQuery({
        action: 'message_send',
        username: account.username,
        password: account.password,
        from: 'MagazinRo',
        to: ` ${phone} `.trim(),
        text: 'Salut Ana, comanda #1042 (2 produse, 149,90 lei) a fost expediată. Mulțumim!',
        short: 'false',
      }),
      { headers: { url: SHOP } },
    );
    expect(sent.body.status).toBeGreaterThanOrEqual(0);
    expect(sent.body.details).toMatch(/^[A-Za-z0-9_-]+$/);
    const text = 'Salut Ana, comanda #1042 (2 produse, 149,90 lei) a fost expediată. Mulțumim!';
    // Matched on number and text: another test may draw the same random number.
    const received = await eventually(simMessages, (list) =>
      list.some((m) => m.to === `+${phone}` && m.text === text),
    );
    expect(received.find((m) => m.to === `+${phone}` && m.text === text)?.from).toBe('MagazinRo');

    const price = await sendsms<{ cost: number; status: number }>(
      httpBuildQuery({
        action: 'route_check_price',
        username: account.username,
        password: account.password,
        to: phone,
      }),
      { headers: { url: SHOP } },
    );
    // The plugin caches `cost` only when `(int) details.status === 64`.
    expect(price.body.details.status).toBe(64);
    expect(price.body.details.cost).toBe(0.045);
  });

  it('create_batch: POST data=<CSV "message,to,from"> with start_time in the past sends every row', async () => {
    // The `from` column is each row's sender: the shop's label, an approved sender of its account.
    const account = await newSendsmsAccount('3.0000', { senderIds: ['MagazinRo'] });
    const numbers = [mobile('51'), mobile('52'), mobile('53')].map((n) => n.slice(1));
    const csv = `message,to,from\n${numbers.map((n, i) => `"Reducere ${i + 1}0%, doar azi!",${n},MagazinRo`).join('\n')}\n`;
    const created = await sendsms<string>(
      httpBuildQuery({
        action: 'batch_create',
        username: account.username,
        password: account.password,
        start_time: '2020-01-01 10:00:00',
        name: 'Campanie Black Friday',
      }),
      { body: httpBuildQuery({ data: csv }) },
    );
    expect(created.body.status).toBeGreaterThanOrEqual(0);
    expect(typeof created.body.details).toBe('string');

    const received = await eventually(
      simMessages,
      (list) => numbers.every((n) => list.some((m) => m.to === `+${n}` && m.text.startsWith('Reducere'))),
      { timeoutMs: 45_000 },
    );
    expect(received.filter((m) => m.to === `+${numbers[1]}`).map((m) => m.text)).toContain(
      'Reducere 20%, doar azi!',
    );
    expect(
      received.find((m) => m.to === `+${numbers[1]}` && m.text === 'Reducere 20%, doar azi!')?.from,
    ).toBe('MagazinRo');
    const status = await sendsms<{ status: string; messages: number }>(
      httpBuildQuery({
        action: 'batch_check_status',
        username: account.username,
        password: account.password,
        batch_id: created.body.details,
      }),
    );
    expect(status.body).toMatchObject({ status: 0, details: { messages: 3 } });
  });
});

describe('what the Laravel package sends', () => {
  const laravelUrl = (
    action: string,
    user: { username: string; password: string },
    params: [string, string][],
  ) =>
    `action=${phpUrlencode(action)}&username=${phpUrlencode(user.username)}&password=${phpUrlencode(user.password)}${params
      .map(([n, v]) => `&${phpUrlencode(n)}=${phpUrlencode(v)}`)
      .join('')}`;

  it('batch_create (file_type, filter, throughput) then batch_start once analysed; batches_list shows it', async () => {
    const account = await newSendsmsAccount('3.0000', { senderIds: ['X'] });
    const numbers = [mobile('61'), mobile('62')].map((n) => n.slice(1));
    const csv = `to,from,message,client_reference,nume\n${numbers.map((n) => `${n},X,Buna ziua!,ref-${n},Ion`).join('\n')}\n`;
    const query = `${laravelUrl('batch_create', account, [['name', 'Laravel batch']])}&file_type=csv&filter=false&throughput=5`;
    const created = await sendsms<string>(query, { body: `data=${phpUrlencode(csv)}` });
    expect(created.body.status).toBe(0);
    const id = created.body.details;

    const ready = await eventually(
      () => sendsms<{ status: string }>(laravelUrl('batch_check_status', account, [['batch_id', id]])),
      (r) => r.body.details?.status === 'ready',
      { timeoutMs: 30_000 },
    );
    expect(ready.body.details).toMatchObject({ messages: 2, throughput: 5 });
    const started = await sendsms<{ status: string }>(laravelUrl('batch_start', account, [['batch_id', id]]));
    expect(started.body).toMatchObject({ status: 0, details: { status: 'running' } });
    await eventually(
      simMessages,
      (list) => numbers.every((n) => list.some((m) => m.to === `+${n}` && m.text === 'Buna ziua!')),
      {
        timeoutMs: 30_000,
      },
    );
    const list = await sendsms<{ id: string }[]>(laravelUrl('batches_list', account, []));
    expect(list.body.details[0]?.id).toBe(id);
  });

  it('execute_multiple: POST data=urlencode(json_encode(queued actions))', async () => {
    const account = await newSendsmsAccount('1.0000');
    const to = mobile('71').slice(1);
    const queued = [
      { command: 'message_send', params: { to, text: 'unu', from: null, report_mask: 19, short: false } },
      { command: 'user_get_balance', params: [] },
    ];
    const answer = await sendsms<SendsmsAnswer[]>(laravelUrl('execute_multiple', account, []), {
      body: `data=${phpUrlencode(JSON.stringify(queued))}`,
    });
    expect(answer.body.status).toBe(0);
    expect(answer.body.details.map((a) => a.status)).toEqual([1, 0]);
  });
});

describe('what the Pipedream app sends', () => {
  it('axios params: message_send (status == 1) and blocklist_check / add', async () => {
    const account = await newSendsmsAccount('1.0000');
    const phone = mobile('81').slice(1);
    const params = (p: Record<string, string | number | boolean>) =>
      new URLSearchParams(Object.entries(p).map(([k, v]): [string, string] => [k, String(v)])).toString();
    const auth = { username: account.username, password: account.apiKey };
    const sent = await sendsms(
      params({
        action: 'message_send',
        to: phone,
        text: 'Din Pipedream',
        charset: 'UTF-8',
        short: false,
        ctype: 1,
        ...auth,
      }),
    );
    expect(sent.body.status).toBe(1);

    const before = await sendsms(params({ action: 'blocklist_check', phonenumber: phone, ...auth }));
    expect(`The phone number ${phone} is ${before.body.message}`).toBe(
      `The phone number ${phone} is not in the blocklist`,
    );
    expect(
      (await sendsms(params({ action: 'blocklist_add', phonenumber: phone, ...auth }))).body.status,
    ).toBe(0);
    const after = await sendsms<{ blocked: boolean }>(
      params({ action: 'blocklist_check', phonenumber: phone, ...auth }),
    );
    expect(after.body).toMatchObject({ status: 0, message: 'in the blocklist', details: { blocked: true } });
    const refused = await sendsms(params({ action: 'message_send', to: phone, text: 'again', ...auth }));
    expect(refused.body.status).toBe(-128);
    expect(
      (await sendsms(params({ action: 'blocklist_del', phonenumber: phone, ...auth }))).body.status,
    ).toBe(0);
    expect(
      (await sendsms(params({ action: 'blocklist_del', phonenumber: phone, ...auth }))).body.status,
    ).toBe(-128);
  });
});
