import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, describe, expect, it } from 'vitest';
import { call, eventually, mobile, simMessages, stack } from '../support/api';
import { httpBuildQuery, newSendsmsAccount, sendsms } from '../support/sendsms';

/** The SMS to `to` whose text starts with `start` (another test may draw the same random number). */
async function received(to: string, start: string) {
  const mine = (m: { to: string; text: string }) => m.to === to && m.text.startsWith(start);
  const list = await eventually(simMessages, (l) => l.some(mine));
  const message = list.find(mine);
  if (!message) throw new Error('not received');
  return message;
}

describe('short links', () => {
  it('short=true: links become /l/{code}, which redirects (302) and counts the click per message', async () => {
    // Arrange
    const account = await newSendsmsAccount('1.0000');
    const auth = { username: account.username, password: account.password };
    const to = mobile('31');
    const long = 'https://magazin.example.ro/oferte/black-friday?utm_source=sms&cod=REDUCERE30';
    // Act
    const sent = await sendsms<string>(
      httpBuildQuery({
        action: 'message_send',
        ...auth,
        to,
        text: `Oferta zilei: ${long}. Grabiti-va!`,
        short: 'true',
      }),
    );
    // Assert
    expect(sent.body.status).toBe(1);
    const sms = await received(to, 'Oferta zilei');
    const short = /(http:\/\/\S+\/l\/([A-Za-z0-9]+))/.exec(sms.text);
    expect(short?.[1]?.startsWith(stack().apiUrl)).toBe(true);
    expect(sms.text).toBe(`Oferta zilei: ${short?.[1]}. Grabiti-va!`);
    expect(sms.text).not.toContain('magazin.example.ro');
    // The shortened text is what was priced: one part, although the original needed more characters.
    const status = await sendsms<{ parts: number }>(
      httpBuildQuery({ action: 'message_status', ...auth, message_id: sent.body.details }),
    );
    expect(status.body.details.parts).toBe(1);

    const first = await fetch(short?.[1] ?? '', { redirect: 'manual' });
    expect(first.status).toBe(302);
    expect(first.headers.get('location')).toBe(long);
    await fetch(short?.[1] ?? '', { redirect: 'manual' });
    const links = await call<{ items: { code: string; url: string; messageId: string; clicks: number }[] }>(
      'GET',
      '/v1/links',
      { key: account.apiKey },
    );
    expect(links.body.items).toEqual([
      expect.objectContaining({ code: short?.[2], url: long, messageId: sent.body.details, clicks: 2 }),
    ]);
    expect((await fetch(`${stack().apiUrl}/l/doesnotexist1`, { redirect: 'manual' })).status).toBe(404);
  });

  it('a URL in short takes the place of {short}', async () => {
    const account = await newSendsmsAccount('1.0000');
    const to = mobile('32');
    await sendsms(
      httpBuildQuery({
        action: 'message_send',
        username: account.username,
        password: account.password,
        to,
        text: 'Factura ta: {short} Multumim!',
        short: 'https://magazin.example.ro/facturi/2026/000123.pdf',
      }),
    );
    expect((await received(to, 'Factura ta')).text).toMatch(
      /^Factura ta: http:\/\/\S+\/l\/[A-Za-z0-9]{8} Multumim!$/,
    );
  });
});

describe('unsubscribe links', () => {
  it('message_send_gdpr: the page confirms, the number is blocklisted and a later send is refused', async () => {
    // Arrange
    const account = await newSendsmsAccount('1.0000');
    const auth = { username: account.username, password: account.password };
    const to = mobile('33');
    // Act
    const sent = await sendsms(
      httpBuildQuery({ action: 'message_send_gdpr', ...auth, to, text: 'Promotie: -20% azi.' }),
    );
    // Assert
    expect(sent.body.status).toBe(1);
    const sms = await received(to, 'Promotie');
    const link = /^Promotie: -20% azi\. (http:\/\/\S+\/u\/[A-Za-z0-9]{16})$/.exec(sms.text)?.[1] ?? '';
    expect(link).not.toBe('');

    const page = await fetch(link);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<form method="post"');
    const stillOpen = await sendsms<{ blocked: boolean }>(
      httpBuildQuery({ action: 'blocklist_check', ...auth, phonenumber: to }),
    );
    expect(stillOpen.body.details.blocked).toBe(false);

    const confirmed = await fetch(link, { method: 'POST' });
    expect(confirmed.status).toBe(200);
    expect(await confirmed.text()).toContain('Unsubscribed');
    const blocked = await sendsms<{ blocked: boolean; list: string }>(
      httpBuildQuery({ action: 'blocklist_check', ...auth, phonenumber: to }),
    );
    expect(blocked.body.details).toMatchObject({ blocked: true, list: 'account' });
    const again = await sendsms(httpBuildQuery({ action: 'message_send', ...auth, to, text: 'Inca una' }));
    expect(again.body.status).toBe(-128);
    const rest = await call<{ error: { code: string } }>('POST', '/v1/messages', {
      key: account.apiKey,
      body: { to, text: 'Inca una' },
    });
    expect(rest.status).toBe(422);
    expect(rest.body.error.code).toBe('BLOCKLISTED');
    // Another account may still write to that number: the opt-out is per sending account.
    const other = await newSendsmsAccount('1.0000');
    const elsewhere = await sendsms(
      httpBuildQuery({
        action: 'message_send',
        username: other.username,
        password: other.password,
        to,
        text: 'Salut',
      }),
    );
    expect(elsewhere.body.status).toBe(1);
  });

  it('{gdpr} in a message_send text is replaced by the link; unknown codes are 404', async () => {
    const account = await newSendsmsAccount('1.0000');
    const to = mobile('34');
    await sendsms(
      httpBuildQuery({
        action: 'message_send',
        username: account.username,
        password: account.password,
        to,
        text: 'Dezabonare: {gdpr} - Magazin',
      }),
    );
    expect((await received(to, 'Dezabonare')).text).toMatch(
      /^Dezabonare: http:\/\/\S+\/u\/[A-Za-z0-9]{16} - Magazin$/,
    );
    expect((await fetch(`${stack().apiUrl}/u/AAAAAAAAAAAAAAAA`)).status).toBe(404);
    expect((await fetch(`${stack().apiUrl}/u/AAAAAAAAAAAAAAAA`, { method: 'POST' })).status).toBe(404);
  });
});

describe('links of a refused send', () => {
  const dynamo = new DynamoDBClient({
    endpoint: stack().endpoints.dynamodb,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
  const table = DynamoDBDocumentClient.from(dynamo);
  afterAll(() => dynamo.destroy());
  const linkItem = async (code: string) =>
    (
      await table.send(
        new GetCommand({ TableName: stack().tableName, Key: { pk: `LINK#${code}`, sk: 'LINK' } }),
      )
    ).Item;
  const links = async (apiKey: string) =>
    (
      await call<{ items: { code: string; url: string; messageId?: string }[] }>('GET', '/v1/links', {
        key: apiKey,
      })
    ).body.items;

  it('expire (TTL) when no message took them out; a sent one keeps no TTL and redirects', async () => {
    // Arrange: an account without credit (the send is refused with -64) and one with credit.
    const poor = await newSendsmsAccount('0');
    const rich = await newSendsmsAccount('1.0000');
    const refusedUrl = 'https://magazin.example.ro/refuzat';
    const sentUrl = 'https://magazin.example.ro/trimis';
    const before = Math.floor(Date.now() / 1000);
    // Act
    const refused = await sendsms(
      httpBuildQuery({
        action: 'message_send',
        username: poor.username,
        password: poor.password,
        to: mobile('33'),
        text: `Vezi ${refusedUrl}`,
        short: 'true',
      }),
    );
    const sent = await sendsms<string>(
      httpBuildQuery({
        action: 'message_send',
        username: rich.username,
        password: rich.password,
        to: mobile('34'),
        text: `Vezi ${sentUrl}`,
        short: 'true',
      }),
    );
    // Assert
    expect(refused.body.status).toBe(-64);
    expect(sent.body.status).toBe(1);
    const [orphan] = await links(poor.apiKey);
    expect(orphan).toMatchObject({ url: refusedUrl });
    expect(orphan?.messageId ?? null).toBeNull();
    const orphanItem = await linkItem(orphan?.code ?? '');
    expect(Number(orphanItem?.expiresAt)).toBeGreaterThanOrEqual(before + 24 * 3600);
    expect(Number(orphanItem?.expiresAt)).toBeLessThanOrEqual(Math.ceil(Date.now() / 1000) + 24 * 3600);

    const [kept] = await links(rich.apiKey);
    expect(kept).toMatchObject({ url: sentUrl, messageId: sent.body.details });
    const keptItem = await linkItem(kept?.code ?? '');
    expect(keptItem).toBeDefined();
    expect(keptItem).not.toHaveProperty('expiresAt');
    const redirect = await fetch(`${stack().apiUrl}/l/${kept?.code}`, { redirect: 'manual' });
    expect(redirect.status).toBe(302);
    expect(redirect.headers.get('location')).toBe(sentUrl);
  });
});
