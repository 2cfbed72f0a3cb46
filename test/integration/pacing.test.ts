import ExcelJS from 'exceljs';
import { describe, expect, it } from 'vitest';
import { call, eventually, mobiles, national, newAccount, simMessages } from '../support/api';

const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

async function batchOf(key: string, numbers: readonly string[], speed: number) {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Lista');
  sheet.addRow(['Telefon', 'Mesaj']);
  for (const n of numbers) sheet.addRow([n, 'Promo']);
  const created = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    {
      key,
      body: { fileName: 'lista.xlsx', contentType: XLSX },
    },
  );
  await fetch(created.body.url, {
    method: 'PUT',
    headers: created.body.headers,
    body: new Uint8Array(await book.xlsx.writeBuffer()),
  });
  const batch = await call<{ id: string }>('POST', '/v1/batches', {
    key,
    body: {
      uploadId: created.body.uploadId,
      name: 'Ritm',
      firstRow: 2,
      phoneColumn: 'A',
      messageColumn: 'B',
      speed,
    },
  });
  await eventually(
    () => call<{ status: string }>('GET', `/v1/batches/${batch.body.id}`, { key }),
    (r) => r.body.status === 'ready',
    { timeoutMs: 30_000 },
  );
  return batch.body.id;
}

/** Distinct national mobiles (07x xxx xxxx) ending in 11. */
function nationalMobiles(count: number) {
  return mobiles(count).map(national);
}

/** Arrival times at the carrier (ms) of these numbers, sorted. */
async function arrivals(numbers: readonly string[], count: number) {
  const wanted = new Set(numbers.map((n) => `+4${n}`));
  const all = await eventually(
    async () => (await simMessages()).filter((m) => wanted.has(m.to)),
    (found) => found.length >= count,
    { timeoutMs: 45_000 },
  );
  return all.map((m) => Date.parse(m.receivedAt)).sort((a, b) => a - b);
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

describe('paced delivery, measured at the carrier', () => {
  // Exact spacing is a property of the pacing code (test/unit/domain/batch/pacing.test.ts); here the
  // whole path is measured at the carrier, where each arrival also carries the local runtime's HTTP and
  // scheduling jitter (hundreds of ms on 2 loaded cores). So a window may hold R + 2, never a burst:
  // unpaced, all 20 would arrive within well under a second.
  it('at speed R no 1-second window holds more than R + 2 messages, and N take about N/R seconds', async () => {
    const account = await newAccount('5.0000');
    const numbers = nationalMobiles(20);
    const id = await batchOf(account.apiKey, numbers, 5);
    await call('POST', `/v1/batches/${id}/start`, { key: account.apiKey });

    const times = await arrivals(numbers, 20);

    expect(busiestSecond(times)).toBeLessThanOrEqual(7);
    const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    expect(span).toBeGreaterThanOrEqual(3.2); // 19 gaps of 200 ms = 3.8 s
    expect(span).toBeLessThan(7);
  });

  it("two campaigns of one account together stay under the account's parts/s cap", async () => {
    const account = await newAccount('5.0000', { partsPerSecond: 4 });
    const first = nationalMobiles(10);
    const second = nationalMobiles(10);
    const [a, b] = [await batchOf(account.apiKey, first, 4), await batchOf(account.apiKey, second, 4)];
    await Promise.all([
      call('POST', `/v1/batches/${a}/start`, { key: account.apiKey }),
      call('POST', `/v1/batches/${b}/start`, { key: account.apiKey }),
    ]);

    const times = await arrivals([...first, ...second], 20);

    expect(busiestSecond(times)).toBeLessThanOrEqual(6);
    const span = ((times.at(-1) ?? 0) - (times[0] ?? 0)) / 1000;
    expect(span).toBeGreaterThanOrEqual(4); // 20 parts at 4 parts/s ≈ 4.75 s
  });
});
