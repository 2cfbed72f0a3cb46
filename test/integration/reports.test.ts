import ExcelJS from 'exceljs';
import { beforeAll, describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, stack } from '../support/api';
import { batchUntil, readyBatch } from '../support/batches';
import { isUnguarded, parseCsv } from '../support/csv';

interface ReportMessage {
  id: string;
  createdAt: string;
  to: string;
  from: string;
  text: string;
  status: string;
  cost: string;
  campaign?: string;
}
interface MessagePage {
  items: ReportMessage[];
  cursor?: string;
}

const FINAL = ['delivered', 'undelivered', 'expired', 'rejected', 'failed', 'cancelled'];
/** Money strings to integer 1/10000 units (exact sums). */
const units = (money: string) => Math.round(Number(money) * 10_000);

interface Fixture {
  a: { id: string; apiKey: string; senderIds: string[] };
  singles: string[];
  batchId: string;
  numbers: { delivered: string; rejected: string; undelivered: string };
}
let f: Fixture;

async function messages(key: string, query = ''): Promise<MessagePage> {
  const answer = await call<MessagePage>('GET', `/v1/reports/messages${query}`, { key });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
  return answer.body;
}

async function download(key: string, path: string) {
  const response = await fetch(`${stack().apiUrl}${path}`, { headers: { authorization: `Bearer ${key}` } });
  return { response, bytes: Buffer.from(await response.arrayBuffer()) };
}

beforeAll(async () => {
  const a = await newAccount('10.0000', { requestsPerSecond: 1000 });
  const numbers = { delivered: mobile('11'), rejected: mobile('99'), undelivered: mobile('00') };
  const singles: string[] = [];
  for (const [to, text] of [
    [numbers.delivered, '=SUM(1,2) formula-looking text'],
    [numbers.rejected, 'rejected at submission'],
    [numbers.undelivered, 'never reaches the phone'],
  ] as const) {
    const sent = await call<{ id: string }>('POST', '/v1/messages', { key: a.apiKey, body: { to, text } });
    expect(sent.status).toBe(202);
    singles.push(sent.body.id);
  }
  const batch = await readyBatch(
    a.apiKey,
    `Phone,Text\n${mobile('12')},+cmd|' /C calc'!A0\n${mobile('13')},Salut\n${mobile('00')},Hello\n`,
    { name: '=HYPERLINK("http://evil","x")', messageColumn: 'B' },
  );
  expect(batch.status).toBe('ready');
  expect((await call('POST', `/v1/batches/${batch.id}/start`, { key: a.apiKey })).status).toBe(200);
  const done = await batchUntil(
    a.apiKey,
    batch.id,
    (b) => ['completed', 'failed', 'stopped'].includes(b.status),
    60_000,
  );
  expect(done.status).toBe('completed');
  await eventually(
    () => messages(a.apiKey),
    (page) => page.items.length === 6 && page.items.every((m) => FINAL.includes(m.status)),
    { timeoutMs: 30_000, intervalMs: 250 },
  );
  f = { a, singles, batchId: batch.id, numbers };
}, 120_000);

describe('reports', () => {
  it('message search: single sends and batch messages, newest first, each with its cost', async () => {
    // Act
    const page = await messages(f.a.apiKey);
    // Assert
    expect(page.items).toHaveLength(6);
    expect(page.cursor).toBeUndefined();
    // Single sends newest first; a campaign's messages together, at its start, newest row first.
    const singles = page.items.filter((m) => m.campaign === undefined).map((m) => `${m.createdAt}#${m.id}`);
    expect(singles).toEqual([...singles].sort().reverse());
    const campaign = page.items.map((m, i) => [m, i] as const).filter(([m]) => m.campaign === f.batchId);
    expect(campaign.map(([m]) => m.id)).toEqual([4, 3, 2].map((row) => `${f.batchId}R${row}`));
    expect(campaign.map(([, i]) => i)).toEqual([
      campaign[0]?.[1] ?? 0,
      (campaign[0]?.[1] ?? 0) + 1,
      (campaign[0]?.[1] ?? 0) + 2,
    ]);
    // The campaign started after the three single sends: it comes first.
    expect(campaign[0]?.[1]).toBe(0);
    expect(page.items.filter((m) => m.campaign === f.batchId)).toHaveLength(3);
    expect(
      page.items
        .filter((m) => m.campaign === undefined)
        .map((m) => m.id)
        .sort(),
    ).toEqual([...f.singles].sort());
    const rejected = page.items.find((m) => m.to === f.numbers.rejected);
    expect(rejected).toMatchObject({ status: 'rejected', cost: '0.0000' });
    expect(units(page.items.find((m) => m.to === f.numbers.delivered)?.cost ?? '0')).toBeGreaterThan(0);
  });

  it('report totals equal the sum of the messages’ costs (and what the account was charged)', async () => {
    // Act
    const [page, destinations, campaign, account] = await Promise.all([
      messages(f.a.apiKey),
      call<{
        total: { messages: number; cost: string };
        rows: { country: string; cost: string }[];
        campaigns: number;
      }>('GET', '/v1/reports/destinations', { key: f.a.apiKey }),
      call<{ byStatus: Record<string, number>; cost: string; messages: number; successRate: number }>(
        'GET',
        `/v1/reports/campaigns/${f.batchId}`,
        { key: f.a.apiKey },
      ),
      call<{ spent: string; reserved: string }>('GET', '/v1/account', { key: f.a.apiKey }),
    ]);
    // Assert
    const sum = (items: ReportMessage[]) => items.reduce((total, m) => total + units(m.cost), 0);
    const total = sum(page.items);
    expect(units(destinations.body.total.cost)).toBe(total);
    expect(destinations.body.rows.reduce((s, r) => s + units(r.cost), 0)).toBe(total);
    expect(destinations.body.rows.map((r) => r.country)).toEqual(['RO']);
    expect(destinations.body.total.messages).toBe(5);
    expect(destinations.body.campaigns).toBe(1);
    expect(units(campaign.body.cost)).toBe(sum(page.items.filter((m) => m.campaign === f.batchId)));
    expect(campaign.body.byStatus).toEqual({ delivered: 2, undelivered: 1 });
    expect(campaign.body.successRate).toBeCloseTo(2 / 3, 4);
    expect(units(account.body.spent)).toBe(total);
    expect(account.body.reserved).toBe('0.0000');
  });

  it('filters by status, number, sender, campaign and period', async () => {
    const q = async (query: string) => (await messages(f.a.apiKey, query)).items;
    expect((await q('?status=rejected')).map((m) => m.to)).toEqual([f.numbers.rejected]);
    expect((await q('?status=undelivered')).map((m) => m.status)).toEqual(['undelivered', 'undelivered']);
    expect(
      (await q(`?number=${encodeURIComponent(`0${f.numbers.delivered.slice(3)}`)}`)).map((m) => m.to),
    ).toEqual([f.numbers.delivered]);
    expect(await q(`?sender=${f.a.senderIds[0]}`)).toHaveLength(6);
    expect(await q('?sender=Nobody')).toHaveLength(0);
    expect((await q(`?campaign=${f.batchId}`)).every((m) => m.campaign === f.batchId)).toBe(true);
    expect(await q(`?campaign=${f.batchId}`)).toHaveLength(3);
    const hoursAgo = (h: number) => encodeURIComponent(new Date(Date.now() - h * 3600_000).toISOString());
    expect(await q(`?from=${hoursAgo(2)}&to=${hoursAgo(1)}`)).toEqual([]);
    expect(await q(`?from=${hoursAgo(1)}&to=${hoursAgo(-1)}`)).toHaveLength(6);
    expect(
      (await call('GET', `/v1/reports/messages?from=${hoursAgo(1)}&to=${hoursAgo(2)}`, { key: f.a.apiKey }))
        .status,
    ).toBe(400);
    const bad = await call('GET', '/v1/reports/messages?status=lost', { key: f.a.apiKey });
    expect(bad.status).toBe(400);
  });

  it('pages with an opaque cursor, newest first, each message once; the latest 10', async () => {
    // Act
    const all = (await messages(f.a.apiKey)).items.map((m) => m.id);
    const seen: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const page = await messages(f.a.apiKey, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      seen.push(...page.items.map((m) => m.id));
      cursor = page.cursor;
      pages++;
    } while (cursor && pages < 10);
    const latest = await call<MessagePage>('GET', '/v1/reports/messages/latest', { key: f.a.apiKey });
    // Assert
    expect(seen).toEqual(all);
    expect(pages).toBe(3);
    expect(latest.body.items.map((m) => m.id)).toEqual(all);
    const forged = await call('GET', '/v1/reports/messages?cursor=bm90LWEtY3Vyc29y', { key: f.a.apiKey });
    expect(forged.status).toBe(400);
  });

  it('exports csv and xlsx with formula-guarded cells', async () => {
    // Act
    const csv = await download(f.a.apiKey, '/v1/reports/messages?format=csv');
    const xlsx = await download(f.a.apiKey, '/v1/reports/messages?format=xlsx');
    const campaignCsv = await download(f.a.apiKey, `/v1/reports/campaigns/${f.batchId}?format=csv`);
    const destinationsXlsx = await download(f.a.apiKey, '/v1/reports/destinations?format=xlsx');
    // Assert: csv
    expect(csv.response.status).toBe(200);
    expect(csv.response.headers.get('content-type')).toBe('text/csv; charset=utf-8');
    const rows = parseCsv(csv.bytes.toString('utf8').slice(1));
    expect(rows[0]?.[0]).toBe('created at');
    expect(rows).toHaveLength(7);
    expect(rows.flat()).toContain("'=SUM(1,2) formula-looking text");
    expect(rows.flat()).toContain("'+cmd|' /C calc'!A0");
    for (const cell of rows.flat()) expect(isUnguarded(cell)).toBe(false);
    const latestCsv = await download(f.a.apiKey, '/v1/reports/messages/latest?format=csv');
    expect(parseCsv(latestCsv.bytes.toString('utf8').slice(1))).toEqual(rows);
    const campaignRows = parseCsv(campaignCsv.bytes.toString('utf8').slice(1));
    expect(campaignRows[1]?.[0]).toBe('\'=HYPERLINK("http://evil","x")');
    for (const cell of campaignRows.flat()) expect(isUnguarded(cell)).toBe(false);
    // Assert: xlsx
    for (const file of [xlsx, destinationsXlsx]) {
      expect(file.response.status).toBe(200);
      const book = new ExcelJS.Workbook();
      await book.xlsx.load(file.bytes as unknown as ArrayBuffer);
      const sheet = book.worksheets[0];
      if (!sheet) throw new Error('no sheet');
      sheet.eachRow((row) =>
        row.eachCell((cell) => {
          expect(cell.formula).toBeUndefined();
          if (typeof cell.value === 'string') expect(isUnguarded(cell.value)).toBe(false);
        }),
      );
      expect(sheet.rowCount).toBe(file === xlsx ? 7 : 3);
    }
  });

  it("a parent sees its subuser's messages; nobody else does", async () => {
    // Arrange
    const sub = await call<{ id: string; apiKey: string }>('POST', '/v1/subusers', {
      key: f.a.apiKey,
      body: { username: `rep-${f.a.id}`, password: 'correct horse battery', billing: 'parent' },
    });
    const sent = await call<{ id: string }>('POST', '/v1/messages', {
      key: sub.body.apiKey,
      body: { to: mobile(), text: 'from the subuser' },
    });
    const other = await newAccount('1.0000');
    // Act
    const asParent = await messages(f.a.apiKey, `?subuser=${sub.body.id}`);
    const own = await messages(f.a.apiKey);
    const latest = await call<MessagePage>('GET', `/v1/reports/messages/latest?subuser=${sub.body.id}`, {
      key: f.a.apiKey,
    });
    const totals = await call<{ total: { messages: number } }>(
      'GET',
      `/v1/reports/destinations?subuser=${sub.body.id}`,
      {
        key: f.a.apiKey,
      },
    );
    // Assert
    expect(asParent.items.map((m) => m.id)).toEqual([sent.body.id]);
    expect(own.items.map((m) => m.id)).not.toContain(sent.body.id);
    expect(latest.body.items.map((m) => m.id)).toEqual([sent.body.id]);
    expect(totals.body.total.messages).toBe(1);
    for (const path of [
      `/v1/reports/messages?subuser=${sub.body.id}`,
      `/v1/reports/messages/latest?subuser=${sub.body.id}`,
      `/v1/reports/destinations?subuser=${sub.body.id}`,
      `/v1/reports/messages?subuser=${f.a.id}`,
    ]) {
      expect((await call('GET', path, { key: other.apiKey })).status).toBe(404);
    }
    expect(
      (await call('GET', `/v1/reports/messages?subuser=${f.a.id}`, { key: sub.body.apiKey })).status,
    ).toBe(404);
  });

  it("another account's key sees nothing on any report route", async () => {
    // Arrange
    const b = await newAccount('1.0000');
    const aPage = await messages(f.a.apiKey, '?limit=2');
    // Act + Assert
    expect((await messages(b.apiKey)).items).toEqual([]);
    expect(
      (await call<MessagePage>('GET', '/v1/reports/messages/latest', { key: b.apiKey })).body.items,
    ).toEqual([]);
    const totals = await call<{ total: { messages: number; cost: string } }>(
      'GET',
      '/v1/reports/destinations',
      {
        key: b.apiKey,
      },
    );
    expect(totals.body.total).toEqual({ messages: 0, parts: 0, cost: '0.0000' });
    for (const path of [
      `/v1/reports/campaigns/${f.batchId}`,
      `/v1/reports/campaigns/${f.batchId}?format=csv`,
      `/v1/reports/messages?campaign=${f.batchId}`,
    ]) {
      const answer = await call('GET', path, { key: b.apiKey });
      expect(answer.status).toBe(404);
      expect(JSON.stringify(answer.body)).not.toContain(f.a.id);
    }
    const stolen = await call('GET', `/v1/reports/messages?cursor=${aPage.cursor}`, { key: b.apiKey });
    expect(stolen.status).toBe(400);
    const csv = await download(b.apiKey, '/v1/reports/messages?format=csv');
    expect(parseCsv(csv.bytes.toString('utf8').slice(1))).toHaveLength(1);
  });
});
