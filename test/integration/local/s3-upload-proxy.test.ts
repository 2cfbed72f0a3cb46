/**
 * The local S3 endpoint in front of fauxqs (local/s3-upload-proxy.ts): a PUT above fauxqs' 11 MiB body
 * limit is stored whole through a multipart upload, and fauxqs' spy reports it as an upload (the S3 event
 * bridge depends on it); small requests pass through as they are; a client gone mid-body leaves no object.
 */
import { request } from 'node:http';
import { GetObjectCommand, HeadObjectCommand, NotFound, S3Client } from '@aws-sdk/client-s3';
import type { S3SpyEvent } from 'fauxqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type QueuesAndBuckets, startQueuesAndBuckets } from '../../../local/fauxqs';
import { PART_SIZE, type S3UploadProxy, startS3UploadProxy } from '../../../local/s3-upload-proxy';

const BUCKET = 'proxied';
let fauxqs: QueuesAndBuckets;
let proxy: S3UploadProxy;
let s3: S3Client;
const failures: { error: unknown; request: string }[] = [];

beforeAll(async () => {
  fauxqs = await startQueuesAndBuckets({ buckets: [BUCKET] });
  proxy = await startS3UploadProxy({
    upstream: fauxqs.endpoint,
    onError: (error, request) => failures.push({ error, request }),
  });
  s3 = new S3Client({
    endpoint: proxy.endpoint,
    forcePathStyle: true,
    region: 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });
});

afterAll(async () => {
  s3?.destroy();
  await proxy?.stop();
  await fauxqs?.stop();
});

const uploadedSpy = (key: string) =>
  fauxqs.server.spy.waitForMessage(
    (m) => m.service === 's3' && m.status === 'uploaded' && (m as S3SpyEvent).key === key,
  );

describe('local S3 upload proxy', () => {
  it('stores a 12 MiB PUT whole (type and metadata kept); the spy sees it uploaded', async () => {
    const bytes = new Uint8Array(PART_SIZE + 4 * 1_048_576).map((_, i) => (i * 31) % 251);
    const seen = uploadedSpy('big/file.bin');

    const put = await fetch(`${proxy.endpoint}/${BUCKET}/big/file.bin`, {
      method: 'PUT',
      headers: { 'content-type': 'application/octet-stream', 'x-amz-meta-origin': 'test' },
      body: bytes,
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: BUCKET, Key: 'big/file.bin' }));

    expect(put.status).toBe(200);
    expect(put.headers.get('etag')).toMatch(/-2"$/);
    expect(await seen).toMatchObject({ bucket: BUCKET, key: 'big/file.bin' });
    expect(got.ContentType).toBe('application/octet-stream');
    expect(got.Metadata).toEqual({ origin: 'test' });
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? []).equals(Buffer.from(bytes))).toBe(true);
  });

  it('passes a small PUT and its GET through unchanged (the spy sees the PUT)', async () => {
    const seen = uploadedSpy('drops/a b.json');
    const put = await fetch(`${proxy.endpoint}/${BUCKET}/drops/a%20b.json`, {
      method: 'PUT',
      headers: { 'content-type': 'application/json' },
      body: '{"x":1}',
    });
    const get = await fetch(`${proxy.endpoint}/${BUCKET}/drops/a%20b.json`);

    expect(put.status).toBe(200);
    expect(await seen).toMatchObject({ key: 'drops/a b.json' });
    expect(get.status).toBe(200);
    expect(get.headers.get('content-type')).toBe('application/json');
    expect(await get.text()).toBe('{"x":1}');
    expect((await fetch(`${proxy.endpoint}/${BUCKET}/missing`)).status).toBe(404);
  });

  it('a client gone mid-body leaves no object, and the proxy keeps serving', async () => {
    const before = failures.length;
    const req = request(`${proxy.endpoint}/${BUCKET}/cut/file.bin`, {
      method: 'PUT',
      headers: { 'content-length': String(3 * PART_SIZE) },
    });
    req.on('error', () => {});
    // More than one part reaches the proxy (a part is in fauxqs, the upload open), then the client is gone.
    await new Promise<void>((done) => req.write(Buffer.alloc(PART_SIZE + 1_048_576), () => done()));
    req.destroy();

    const deadline = Date.now() + 10_000;
    while (failures.length === before && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const head = await s3
      .send(new HeadObjectCommand({ Bucket: BUCKET, Key: 'cut/file.bin' }))
      .catch((e) => e);

    expect(failures.slice(before).map((f) => f.request)).toEqual([`PUT /${BUCKET}/cut/file.bin`]);
    expect(head).toBeInstanceOf(NotFound);
  });
});
