import ExcelJS from 'exceljs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resetUsage, type Usage, usage } from '#observability/sdk-usage';
import { type LocalStack, startLocalStack } from '../../local/stack';

/**
 * Measures the AWS requests the batch path makes per message (docs/cost.md), on a private local stack
 * in this test's own process so no other test's traffic is counted. The bounds are today's figures
 * (a regression guard); the goal in issue 5 is lower and docs/cost.md says how to get there.
 */
let stack: LocalStack;
const MESSAGES = 200;

async function api<T>(method: string, path: string, key: string, body?: unknown): Promise<T> {
  const response = await fetch(`${stack.info.apiUrl}${path}`, {
    method,
    headers: { authorization: `Bearer ${key}`, 'content-type': 'application/json' },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  });
  return (await response.json()) as T;
}

async function until<T>(
  probe: () => Promise<T>,
  done: (value: T) => boolean,
  timeoutMs = 60_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (done(value)) return value;
    if (Date.now() > deadline) throw new Error(`timed out; last: ${JSON.stringify(value)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

function perMessage(u: Usage) {
  const sum = (prefix: string) =>
    Object.entries(u.requests)
      .filter(([k]) => k.startsWith(prefix) && !k.endsWith('(empty)'))
      .reduce((t, [, n]) => t + n, 0);
  const invocations = Object.values(u.invocations).reduce((t, n) => t + n, 0);
  return {
    dynamoWriteUnits: u.dynamodb.writeUnits / MESSAGES,
    dynamoReadUnits: u.dynamodb.readUnits / MESSAGES,
    sqsRequests: sum('SQS.') / MESSAGES,
    lambdaInvocations: invocations / MESSAGES,
  };
}

beforeAll(async () => {
  stack = await startLocalStack({
    port: 0,
    waitTimeScale: 0.05,
    carrier: { ratePerSecond: 1000, dlrMinDelayMs: 5, dlrMaxDelayMs: 50 },
  });
}, 120_000);

afterAll(async () => {
  await stack?.stop();
});

describe('AWS cost per message of the batch path', () => {
  it(`sending a ${MESSAGES}-message batch stays within today's per-message request figures`, async () => {
    // Arrange: an account, a file, an analysed batch.
    const { operatorKey } = stack.info;
    const account = await api<{ id: string; apiKey: string }>('POST', '/v1/admin/accounts', operatorKey, {
      name: 'Cost',
      requestsPerSecond: 1000,
      partsPerSecond: 1000,
    });
    await api('POST', `/v1/admin/accounts/${account.id}/credit`, operatorKey, { amount: '100.0000' });
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet('L');
    sheet.addRow(['Telefon', 'Mesaj']);
    for (let i = 0; i < MESSAGES; i++) sheet.addRow([`0722${String(i).padStart(4, '0')}11`, 'Promo']);
    const up = await api<{ uploadId: string; url: string; headers: Record<string, string> }>(
      'POST',
      '/v1/uploads',
      account.apiKey,
      {
        fileName: 'cost.xlsx',
        contentType: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
      },
    );
    await fetch(up.url, {
      method: 'PUT',
      headers: up.headers,
      body: new Uint8Array(await book.xlsx.writeBuffer()),
    });
    resetUsage();
    const batch = await api<{ id: string }>('POST', '/v1/batches', account.apiKey, {
      uploadId: up.uploadId,
      name: 'Cost',
      firstRow: 2,
      phoneColumn: 'A',
      messageColumn: 'B',
    });
    await until(
      () => api<{ status: string }>('GET', `/v1/batches/${batch.id}`, account.apiKey),
      (b) => b.status === 'ready',
    );
    const analysis = perMessage(structuredClone(usage()));

    // Act: send it all.
    resetUsage();
    await api('POST', `/v1/batches/${batch.id}/start`, account.apiKey);
    const done = await until(
      () =>
        api<{ status: string; progress: { delivered: number } }>(
          'GET',
          `/v1/batches/${batch.id}`,
          account.apiKey,
        ),
      (b) => b.status === 'completed',
    );
    const sending = perMessage(structuredClone(usage()));

    // Assert
    expect(done.progress.delivered).toBe(MESSAGES);
    console.info(`analysis per message: ${JSON.stringify(analysis)}`);
    console.info(`sending per message:  ${JSON.stringify(sending)}`);
    console.info(`requests while sending: ${JSON.stringify(usage().requests)}`);
    expect(analysis.dynamoWriteUnits).toBeLessThan(0.5);
    expect(sending.dynamoWriteUnits).toBeLessThanOrEqual(13);
    expect(sending.sqsRequests).toBeLessThanOrEqual(2);
    expect(sending.lambdaInvocations).toBeLessThanOrEqual(1.5);
  }, 180_000);
});
