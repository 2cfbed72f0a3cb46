/**
 * The local stack's S3 endpoint: a pass-through proxy in front of fauxqs that lifts fauxqs' request body
 * limit (11 MiB, hard-coded in its Fastify app) for plain object PUTs, so a customer's 100 MiB campaign
 * file uploads locally through its presigned URL as it does on AWS.
 *
 * Every request goes to fauxqs unchanged (method, path and query, headers, bodies streamed both ways),
 * except a plain PutObject (no `uploadId`/`partNumber`/sub-resource query) announcing a body larger than
 * one part: that body is streamed into fauxqs as a multipart upload, one part in memory at a time, and
 * answered 200 with the object's ETag. Small PUTs (file-drop sidecars included) take the plain path, and
 * fauxqs' message spy reports a completed multipart upload as `uploaded` too, so the S3 event bridge sees
 * both.
 *
 * Differences from AWS: a large object's ETag is a multipart one (`"<md5 of md5s>-<parts>"`), not the MD5
 * of its bytes; signatures are not checked (fauxqs checks none either).
 */
import {
  createServer,
  type IncomingHttpHeaders,
  type IncomingMessage,
  request,
  type ServerResponse,
} from 'node:http';
import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { listen } from './listen';

/** Above fauxqs' 5 MiB minimum part size, below its 11 MiB body limit. */
export const PART_SIZE = 8 * 1_048_576;

export interface S3UploadProxy {
  /** `http://127.0.0.1:<port>`: the S3 endpoint to hand out (clients with `forcePathStyle`). */
  readonly endpoint: string;
  stop(): Promise<void>;
}

export async function startS3UploadProxy(options: {
  /** fauxqs' endpoint. */
  upstream: string;
  region?: string;
  partSize?: number;
  /** A request that failed here (a client gone mid-body, fauxqs refusing a part), after any cleanup. */
  onError?: (error: unknown, request: string) => void;
}): Promise<S3UploadProxy> {
  const upstream = new URL(options.upstream);
  const partSize = options.partSize ?? PART_SIZE;
  const s3 = new S3Client({
    endpoint: options.upstream,
    forcePathStyle: true,
    region: options.region ?? 'us-east-1',
    credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
  });

  const server = createServer((req, res) => {
    const target = largePlainPut(req, partSize);
    const handled = target ? putInParts(s3, req, res, target, partSize) : passThrough(upstream, req, res);
    handled.catch((error: unknown) => {
      // The path only: a presigned URL's query carries its signature.
      options.onError?.(error, `${req.method} ${(req.url ?? '').split('?')[0]}`);
      if (!res.headersSent) s3Error(res, 500, 'InternalError', String(error));
      else res.destroy();
    });
  });
  const endpoint = await listen(server);
  return {
    endpoint,
    stop: async () => {
      server.closeAllConnections();
      await new Promise<void>((done) => server.close(() => done()));
      s3.destroy();
    },
  };
}

interface Target {
  bucket: string;
  key: string;
  length: number;
}

/** A PutObject whose declared body is above one part, not aws-chunked (its framing would be stored). */
function largePlainPut(req: IncomingMessage, partSize: number): Target | undefined {
  if (req.method !== 'PUT') return undefined;
  const url = new URL(req.url ?? '/', 'http://local');
  const subResource = [...url.searchParams.keys()].some((name) => !/^(x-amz-|x-id$)/i.test(name));
  if (subResource || req.headers['x-amz-copy-source']) return undefined;
  const length = Number(req.headers['content-length']);
  if (!Number.isSafeInteger(length) || length <= partSize) return undefined;
  const streaming =
    String(req.headers['content-encoding'] ?? '').includes('aws-chunked') ||
    String(req.headers['x-amz-content-sha256'] ?? '').startsWith('STREAMING-');
  if (streaming) return undefined;
  const [bucket, ...key] = url.pathname.slice(1).split('/');
  if (!bucket || key.length === 0 || key.join('') === '') return undefined;
  return { bucket: decodeURIComponent(bucket), key: decodeURIComponent(key.join('/')), length };
}

async function passThrough(upstream: URL, req: IncomingMessage, res: ServerResponse): Promise<void> {
  // `expect: 100-continue` was answered by this server already; forwarding it would wait twice.
  const { expect: _expect, ...headers } = req.headers;
  await new Promise<void>((done, fail) => {
    const forward = request(
      { hostname: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.rawHeaders);
        answer.pipe(res);
        answer.once('end', done);
        answer.once('error', fail);
      },
    );
    forward.once('error', fail);
    req.once('aborted', () => forward.destroy());
    req.pipe(forward);
  });
}

async function putInParts(
  s3: S3Client,
  req: IncomingMessage,
  res: ServerResponse,
  { bucket, key, length }: Target,
  partSize: number,
): Promise<void> {
  const created = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: bucket,
      Key: key,
      ContentType: header(req.headers, 'content-type'),
      Metadata: metadataOf(req.headers),
    }),
  );
  const uploadId = created.UploadId;
  const parts: CompletedPart[] = [];
  let chunks: Buffer[] = [];
  let buffered = 0;
  let received = 0;
  const flush = async () => {
    const PartNumber = parts.length + 1;
    const body = Buffer.concat(chunks, buffered);
    chunks = [];
    buffered = 0;
    const part = await s3.send(
      new UploadPartCommand({ Bucket: bucket, Key: key, UploadId: uploadId, PartNumber, Body: body }),
    );
    parts.push({ PartNumber, ETag: part.ETag });
  };
  try {
    // The async iterator pulls the next chunk only once the previous part is stored: one part in memory.
    for await (const chunk of req as AsyncIterable<Buffer>) {
      chunks.push(chunk);
      buffered += chunk.length;
      received += chunk.length;
      if (buffered >= partSize) await flush();
    }
    if (received !== length) throw new IncompleteBody(received, length);
    if (buffered > 0) await flush();
    const completed = await s3.send(
      new CompleteMultipartUploadCommand({
        Bucket: bucket,
        Key: key,
        UploadId: uploadId,
        MultipartUpload: { Parts: parts },
      }),
    );
    res.writeHead(200, { etag: completed.ETag ?? '', 'content-length': '0' }).end();
  } catch (error) {
    await s3
      .send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: key, UploadId: uploadId }))
      .catch(() => {});
    if (error instanceof IncompleteBody) s3Error(res, 400, 'IncompleteBody', error.message);
    else throw error;
  }
}

class IncompleteBody extends Error {
  constructor(received: number, length: number) {
    super(`received ${received} of the ${length} bytes of Content-Length`);
  }
}

function header(headers: IncomingHttpHeaders, name: string): string | undefined {
  const value = headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function metadataOf(headers: IncomingHttpHeaders): Record<string, string> | undefined {
  const entries = Object.entries(headers)
    .filter(([name]) => name.startsWith('x-amz-meta-'))
    .map(([name, value]) => [name.slice('x-amz-meta-'.length), String(value)]);
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function s3Error(res: ServerResponse, status: number, code: string, message: string): void {
  const escaped = message.replace(/[<>&]/g, (c) => `&#${c.charCodeAt(0)};`);
  res
    .writeHead(status, { 'content-type': 'application/xml' })
    .end(
      `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>${escaped}</Message></Error>`,
    );
}
