import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** The HTTP side of the local HTTP API: request bodies in, handler results out (see api-gateway.ts). */

/** API Gateway's request payload quota. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;

export interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/** Payload 2.0: a result with `statusCode` is structured; anything else is 200 JSON of the result. */
export function toReply(result: unknown): Reply | undefined {
  if (typeof result !== 'object' || result === null || !('statusCode' in result)) {
    return jsonReply(200, result === undefined ? null : result);
  }
  const r = result as APIGatewayProxyStructuredResultV2;
  if (!Number.isInteger(r.statusCode) || (r.statusCode ?? 0) < 100 || (r.statusCode ?? 0) > 599)
    return undefined;
  if (r.body !== undefined && r.body !== null && typeof r.body !== 'string') return undefined;
  const headers: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(r.headers ?? {})) headers[name.toLowerCase()] = String(value);
  if (r.cookies?.length) {
    const existing = headers['set-cookie'];
    headers['set-cookie'] = [...(existing === undefined ? [] : [existing].flat()), ...r.cookies];
  }
  const body = Buffer.from(r.body ?? '', r.isBase64Encoded ? 'base64' : 'utf8');
  return { status: r.statusCode ?? 200, headers, body };
}

export function jsonReply(status: number, value: unknown): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value)),
  };
}

export function send(res: ServerResponse, reply: Reply, requestId: string): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(reply.body.length),
    'apigw-requestid': requestId,
  });
  res.end(reply.body);
}

/** Reads the body up to API Gateway's quota; past it, the rest is drained and discarded. */
export function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const declared = Number(req.headers['content-length'] ?? 0);
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = declared > MAX_BODY_BYTES;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on('end', () => resolve(tooLarge ? 'too-large' : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

export function withTimeout<T>(work: Promise<T>, ms: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${functionName}: Task timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}
