/**
 * A campaign file far above fauxqs' 11 MiB request body limit, uploaded through the presigned URL of
 * `POST /v1/uploads` as a customer does: the local stack's S3 endpoint (local/s3-upload-proxy.ts) takes
 * it, the object reads back byte for byte, and a batch analyses it.
 */
import { createHash } from 'node:crypto';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { afterAll, describe, expect, it } from 'vitest';
import { call, mobiles, national, newAccount, stack } from '../support/api';
import { type BatchBody, batchUntil } from '../support/batches';

const s3 = new S3Client({
  region: 'us-east-1',
  endpoint: stack().endpoints.s3,
  forcePathStyle: true,
  credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
});
afterAll(() => s3.destroy());

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest('hex');

/** ~25 MB of CSV in 850 rows: a wide notes column (30 000 characters, under Excel's 32 767 a cell). */
function largeCsv(rows: number): { text: string; phones: string[] } {
  const phones = mobiles(rows).map(national);
  const lines = ['Telefon,Prenume,Note'];
  phones.forEach((phone, i) => {
    lines.push(`${phone},Client ${i},${String.fromCharCode(97 + (i % 26)).repeat(30_000)}`);
  });
  return { text: `${lines.join('\r\n')}\r\n`, phones };
}

describe('a campaign file larger than fauxqs accepts in one request', () => {
  it('PUT of ~25 MB to the presigned URL → 200 → reads back identical → batch ready with every row', async () => {
    // Arrange
    const account = await newAccount('100.0000');
    const { text, phones } = largeCsv(850);
    const bytes = new TextEncoder().encode(text);
    expect(bytes.length).toBeGreaterThan(25_000_000);
    const created = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
      'POST',
      '/v1/uploads',
      { key: account.apiKey, body: { fileName: 'campanie-mare.csv', contentType: 'text/csv' } },
    );
    expect(created.status).toBe(201);

    // Act
    const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: bytes });
    expect(put.status, await put.text()).toBe(200);
    const [bucket, ...key] = new URL(created.body.url).pathname.slice(1).split('/');
    const stored = await s3.send(
      new GetObjectCommand({ Bucket: bucket, Key: decodeURIComponent(key.join('/')) }),
    );
    const storedBytes = (await stored.Body?.transformToByteArray()) ?? new Uint8Array();
    const batch = await call<BatchBody>('POST', '/v1/batches', {
      key: account.apiKey,
      body: {
        uploadId: created.body.uploadId,
        name: 'Fișier mare',
        firstRow: 2,
        phoneColumn: 'A',
        text: 'Salut #Prenume!',
      },
    });
    expect(batch.status, JSON.stringify(batch.body)).toBe(201);
    const ready = await batchUntil(account.apiKey, batch.body.id, (b) => b.status !== 'analysing');

    // Assert
    expect(put.headers.get('etag')).toMatch(/^"[0-9a-f]+-\d+"$/);
    expect(stored.ContentType).toBe('text/csv');
    expect(sha256(storedBytes)).toBe(sha256(bytes));
    expect(ready.status).toBe('ready');
    expect(ready.summary).toMatchObject({ rows: phones.length, messages: phones.length, blocklisted: 0 });
  }, 40_000);
});
