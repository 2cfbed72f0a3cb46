import { expect } from 'vitest';
import { call } from './api';

export const XLSX = 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet';

/** `POST /v1/uploads`, then PUT the bytes to the presigned URL, as a client does; answers the upload id. */
export async function upload(key: string, bytes: Uint8Array | string, fileName: string, contentType: string) {
  const created = await call<{ uploadId: string; url: string; headers: Record<string, string> }>(
    'POST',
    '/v1/uploads',
    { key, body: { fileName, contentType } },
  );
  expect(created.status).toBe(201);
  const put = await fetch(created.body.url, { method: 'PUT', headers: created.body.headers, body: bytes });
  expect(put.status).toBe(200);
  return created.body.uploadId;
}
