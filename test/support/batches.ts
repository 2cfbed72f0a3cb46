import { expect } from 'vitest';
import { call, eventually } from './api';

export interface BatchBody {
  id: string;
  status: string;
  summary?: { rows: number; messages: number; blocklisted: number; cost: string };
  progress: { queued: number; delivered: number; failed: number };
}

/** Uploads a CSV file's text through the public API (presigned PUT) and answers its uploadId. */
export async function uploadCsv(key: string, text: string): Promise<string> {
  const created = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    { key, body: { fileName: 'list.csv', contentType: 'text/csv' } },
  );
  expect(created.status).toBe(201);
  const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: text });
  expect(put.status).toBe(200);
  return created.body.uploadId;
}

export async function batchUntil(
  key: string,
  id: string,
  done: (b: BatchBody) => boolean,
  timeoutMs = 45_000,
) {
  return (
    await eventually(
      () => call<BatchBody>('GET', `/v1/batches/${id}`, { key }),
      (r) => done(r.body),
      { timeoutMs, intervalMs: 200 },
    )
  ).body;
}

/** A batch from a CSV text, analysed until `ready` (or another settled analysis status). */
export async function readyBatch(key: string, csv: string, settings: Record<string, unknown>) {
  const uploadId = await uploadCsv(key, csv);
  const created = await call<BatchBody>('POST', '/v1/batches', {
    key,
    body: { uploadId, name: 'Test batch', firstRow: 2, phoneColumn: 'A', ...settings },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return batchUntil(key, created.body.id, (b) => b.status !== 'analysing');
}
