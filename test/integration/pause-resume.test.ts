import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import {
  call,
  eventually,
  national,
  newAccount,
  simMessages,
  mobiles as uniqueMobiles,
} from '../support/api';

/**
 * Pause and resume of a running batch, through the public API, watched at the carrier simulator:
 * nothing is sent while paused, everything arrives exactly once after resume, at the campaign's pace,
 * and the credit stays reserved meanwhile.
 */
const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

interface BatchBody {
  id: string;
  status: string;
  finalTotals?: { messages: number; byStatus: Record<string, number> };
}
interface Balance {
  balance: string;
  reserved: string;
  spent: string;
}

async function readyBatch(key: string, numbers: readonly string[], speed: number): Promise<string> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Lista');
  sheet.addRow(['Telefon', 'Mesaj']);
  for (const n of numbers) sheet.addRow([n, 'Promo']);
  const upload = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    { key, body: { fileName: 'pauza.xlsx', contentType: XLSX } },
  );
  const bytes = new Uint8Array(await book.xlsx.writeBuffer());
  await fetch(upload.body.url, { method: 'PUT', headers: upload.body.headers, body: bytes });
  const batch = await call<BatchBody>('POST', '/v1/batches', {
    key,
    body: {
      uploadId: upload.body.uploadId,
      name: 'Pauza',
      firstRow: 2,
      phoneColumn: 'A',
      messageColumn: 'B',
      speed,
    },
  });
  await eventually(
    () => call<BatchBody>('GET', `/v1/batches/${batch.body.id}`, { key }),
    (r) => r.body.status === 'ready',
    { timeoutMs: 30_000 },
  );
  return batch.body.id;
}

/** Distinct national mobiles (07x xxx xxxx) ending in 11. */
function mobiles(count: number) {
  return uniqueMobiles(count).map(national);
}

/** Arrival times (ms, sorted) at the carrier of these numbers, and how often each arrived. */
async function arrivals(numbers: readonly string[]) {
  const wanted = new Set(numbers.map((n) => `+4${n}`));
  const found = (await simMessages()).filter((m) => wanted.has(m.to));
  const perNumber = new Map<string, number>();
  for (const m of found) perNumber.set(m.to, (perNumber.get(m.to) ?? 0) + 1);
  return { times: found.map((m) => Date.parse(m.receivedAt)).sort((a, b) => a - b), perNumber };
}

/** Waits until no new message of these numbers has arrived for `quietMs`; answers the count then. */
async function settledCount(numbers: readonly string[], quietMs: number): Promise<number> {
  let last = -1;
  let since = Date.now();
  const deadline = Date.now() + 20_000;
  for (;;) {
    const count = (await arrivals(numbers)).times.length;
    if (count !== last) {
      last = count;
      since = Date.now();
    } else if (Date.now() - since >= quietMs) return count;
    if (Date.now() > deadline) throw new Error('arrivals never stopped');
    await new Promise((r) => setTimeout(r, 100));
  }
}

function busiestSecond(times: readonly number[]) {
  let most = 0;
  for (let i = 0; i < times.length; i++) {
    let n = 0;
    for (let j = i; j < times.length && (times[j] ?? 0) < (times[i] ?? 0) + 1000; j++) n++;
    most = Math.max(most, n);
  }
  return most;
}

describe('pause and resume a running batch', () => {
  it('sends nothing while paused, keeps the credit reserved, and after resume sends the rest once each, paced', async () => {
    // Arrange: 30 messages at 4 per second (~7.5 s of sending).
    const account = await newAccount('10.0000');
    const numbers = mobiles(30);
    const id = await readyBatch(account.apiKey, numbers, 4);
    await call('POST', `/v1/batches/${id}/start`, { key: account.apiKey });
    await eventually(
      () => arrivals(numbers),
      (a) => a.times.length >= 6,
      { timeoutMs: 30_000 },
    );

    // Act: pause.
    const paused = await call<BatchBody>('POST', `/v1/batches/${id}/pause`, { key: account.apiKey });

    // Assert: paused; what was in flight lands, then nothing more arrives; credit still reserved.
    expect(paused.status).toBe(200);
    expect(paused.body.status).toBe('paused');
    const atPause = await settledCount(numbers, 2_000);
    expect(atPause).toBeLessThan(30);
    const held = await settledCount(numbers, 3_000);
    expect(held).toBe(atPause);
    const during = await call<Balance>('GET', '/v1/account', { key: account.apiKey });
    expect(during.body.reserved).toBe('1.3500'); // 30 × 0.0450
    expect((await call<BatchBody>('GET', `/v1/batches/${id}`, { key: account.apiKey })).body.status).toBe(
      'paused',
    );
    const resumedAt = Date.now();

    // Act: resume.
    const resumed = await call<BatchBody>('POST', `/v1/batches/${id}/resume`, { key: account.apiKey });

    // Assert: the rest arrives, each number exactly once, at the batch's pace; one settlement.
    expect(resumed.status).toBe(200);
    expect(resumed.body.status).toBe('running');
    const all = await eventually(
      () => arrivals(numbers),
      (a) => a.perNumber.size >= 30,
      { timeoutMs: 45_000 },
    );
    expect([...all.perNumber.values()].every((n) => n === 1)).toBe(true);
    const after = all.times.filter((t) => t >= resumedAt);
    expect(after.length).toBe(30 - atPause);
    expect(busiestSecond(after)).toBeLessThanOrEqual(5);
    const done = await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${id}`, { key: account.apiKey }),
      (r) => ['completed', 'failed', 'stopped'].includes(r.body.status),
      { timeoutMs: 45_000 },
    );
    expect(done.body.status).toBe('completed');
    expect(done.body.finalTotals).toMatchObject({ messages: 30, byStatus: { delivered: 30 } });
    const settled = await call<Balance>('GET', '/v1/account', { key: account.apiKey });
    expect(settled.body).toMatchObject({ reserved: '0.0000', spent: '1.3500', balance: '8.6500' });
    expect(await settledCount(numbers, 1_000)).toBe(30);
  });

  it('a paused batch can be stopped: nothing more is sent, what was not sent is refunded', async () => {
    // Arrange
    const account = await newAccount('10.0000');
    const numbers = mobiles(24);
    const id = await readyBatch(account.apiKey, numbers, 4);
    await call('POST', `/v1/batches/${id}/start`, { key: account.apiKey });
    await eventually(
      () => arrivals(numbers),
      (a) => a.times.length >= 4,
      { timeoutMs: 30_000 },
    );
    await call('POST', `/v1/batches/${id}/pause`, { key: account.apiKey });
    const atPause = await settledCount(numbers, 2_000);

    // Act
    const stopped = await call<BatchBody>('POST', `/v1/batches/${id}/stop`, { key: account.apiKey });
    const resume = await call('POST', `/v1/batches/${id}/resume`, { key: account.apiKey });

    // Assert
    expect(stopped.body.status).toBe('stopped');
    expect(resume.status).toBe(409);
    const settled = await eventually(
      () => call<Balance>('GET', '/v1/account', { key: account.apiKey }),
      (r) => r.body.reserved === '0.0000',
      { timeoutMs: 45_000 },
    );
    expect(await settledCount(numbers, 2_000)).toBe(atPause);
    expect(settled.body.spent).toBe((atPause * 0.045).toFixed(4));
    expect(Number(settled.body.balance) + Number(settled.body.spent)).toBeCloseTo(10, 4);
  });
});
