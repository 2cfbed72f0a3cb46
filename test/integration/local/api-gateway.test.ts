import { request } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyEventV2WithIAMAuthorizer, Context } from 'aws-lambda';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import type { FunctionName } from '#topology/functions';
import { type ApiGateway, type HttpHandler, startApiGateway } from '../../../local/api-gateway';

/** Canned handlers: these tests are about the adapter, not the functions. */
const calls: { fn: FunctionName; event: APIGatewayProxyEventV2; context: Context }[] = [];
const responses = new Map<FunctionName, (event: APIGatewayProxyEventV2) => unknown>();
const loads: FunctionName[] = [];
const operatorKey = 'op_test-operator-key';
let api: ApiGateway;

beforeAll(async () => {
  api = await startApiGateway({
    port: 0,
    operatorKey,
    loadHandler: async (fn) => {
      loads.push(fn);
      const handler: HttpHandler = async (event, context) => {
        calls.push({ fn, event, context });
        const respond = responses.get(fn);
        return (respond ? respond(event) : { ok: true }) as object;
      };
      return handler;
    },
  });
});

afterEach(() => {
  calls.length = 0;
  responses.clear();
  vi.restoreAllMocks();
});

afterAll(async () => {
  await api?.close();
});

interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  json(): unknown;
}

/** node:http rather than fetch: it can send duplicate header lines and shows every Set-Cookie. */
function call(
  method: string,
  path: string,
  options: { headers?: Record<string, string | string[]>; body?: Buffer | string } = {},
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request(`${api.url}${path}`, { method, headers: options.headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const body = Buffer.concat(chunks);
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body,
          json: () => JSON.parse(body.toString()),
        });
      });
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

function lastCall() {
  const last = calls.at(-1);
  if (!last) throw new Error('handler was not called');
  return last;
}

describe('request → payload 2.0 event', () => {
  it('builds routeKey, path parameters, query, headers and cookies as API Gateway does', async () => {
    // Act
    const res = await call('GET', '/v1/messages/msg%201?a=1&a=2&b=x%20y', {
      headers: { 'X-Dup': ['one', 'two'], Cookie: 'session=abc; theme=dark', 'User-Agent': 'test-agent' },
    });

    // Assert
    expect(res.status).toBe(200);
    const { fn, event, context } = lastCall();
    expect(fn).toBe('get-message');
    expect(event).toMatchObject({
      version: '2.0',
      routeKey: 'GET /v1/messages/{id}',
      rawPath: '/v1/messages/msg%201',
      rawQueryString: 'a=1&a=2&b=x%20y',
      cookies: ['session=abc', 'theme=dark'],
      queryStringParameters: { a: '1,2', b: 'x y' },
      pathParameters: { id: 'msg 1' },
      isBase64Encoded: false,
      requestContext: {
        accountId: '000000000000',
        routeKey: 'GET /v1/messages/{id}',
        stage: '$default',
        http: { method: 'GET', path: '/v1/messages/msg%201', protocol: 'HTTP/1.1', userAgent: 'test-agent' },
      },
    });
    expect(event.headers['x-dup']).toBe('one,two');
    expect(event.headers.cookie).toBeUndefined();
    expect(event.headers['x-forwarded-for']).toBe(event.requestContext.http.sourceIp);
    expect(event.body).toBeUndefined();
    expect(event.requestContext.requestId).toBe(res.headers['apigw-requestid']);
    expect(event.requestContext.time).toMatch(/^\d{2}\/[A-Z][a-z]{2}\/\d{4}:\d{2}:\d{2}:\d{2} \+0000$/);
    expect(Math.abs(event.requestContext.timeEpoch - Date.now())).toBeLessThan(5_000);
    expect('authorizer' in event.requestContext).toBe(false);
    expect(context.functionName).toBe('get-message');
    expect(context.getRemainingTimeInMillis()).toBeLessThanOrEqual(10_000);
  });

  it('passes JSON bodies as text and binary bodies as base64', async () => {
    // Act
    await call('POST', '/v1/messages', {
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ to: '+4915112345678', text: 'Grüße' }),
    });
    const json = lastCall().event;
    const bytes = Buffer.from([0, 255, 1, 2, 128]);
    await call('POST', '/v1/messages', {
      headers: { 'content-type': 'application/octet-stream' },
      body: bytes,
    });
    const binary = lastCall().event;

    // Assert
    expect(json.isBase64Encoded).toBe(false);
    expect(JSON.parse(json.body ?? '')).toEqual({ to: '+4915112345678', text: 'Grüße' });
    expect(binary.isBase64Encoded).toBe(true);
    expect(Buffer.from(binary.body ?? '', 'base64')).toEqual(bytes);
  });

  it('prefers a literal route over a parameter route', async () => {
    // Act
    await call('POST', '/v1/messages/preview', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });
    const preview = lastCall();
    await call('GET', '/v1/messages/preview');
    const get = lastCall();

    // Assert
    expect(preview.fn).toBe('preview-message');
    expect(preview.event.routeKey).toBe('POST /v1/messages/preview');
    expect(preview.event.pathParameters).toBeUndefined();
    expect(get.fn).toBe('get-message');
    expect(get.event.pathParameters).toEqual({ id: 'preview' });
  });

  it('answers 404 Not Found for an unknown path or method', async () => {
    // Act
    const unknown = await call('GET', '/v1/nothing');
    const wrongMethod = await call('DELETE', '/v1/account');
    const trailing = await call('GET', '/v1/messages/');

    // Assert
    for (const res of [unknown, wrongMethod, trailing]) {
      expect(res.status).toBe(404);
      expect(res.json()).toEqual({ message: 'Not Found' });
    }
    expect(calls).toHaveLength(0);
  });

  it('answers 413 past the 10 MB payload quota', async () => {
    // Act
    const res = await call('POST', '/v1/messages', {
      headers: { 'content-type': 'application/json' },
      body: Buffer.alloc(10 * 1024 * 1024 + 1, 0x20),
    });

    // Assert
    expect(res.status).toBe(413);
    expect(calls).toHaveLength(0);
  });

  it('loads each function once and reuses it', async () => {
    // Act
    await call('GET', '/v1/account');
    await call('GET', '/v1/account');

    // Assert
    expect(loads.filter((fn) => fn === 'get-account')).toEqual(['get-account']);
  });
});

describe('operator routes (local stand-in for IAM)', () => {
  it('answers 401 without or with a wrong key, never calling the function', async () => {
    // Act
    const missing = await call('POST', '/v1/admin/accounts', { body: '{}' });
    const wrong = await call('POST', '/v1/admin/accounts', {
      headers: { authorization: 'Bearer nope' },
      body: '{}',
    });

    // Assert
    for (const res of [missing, wrong]) {
      expect(res.status).toBe(401);
      expect(res.headers['content-type']).toBe('application/json');
      expect(res.json()).toMatchObject({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
    expect(calls).toHaveLength(0);
  });

  it('passes with the operator key and sets the IAM authorizer context', async () => {
    // Act
    const res = await call('POST', '/v1/admin/accounts/acc-1/credit', {
      headers: { authorization: `Bearer ${operatorKey}`, 'content-type': 'application/json' },
      body: '{"amount":"10.00"}',
    });

    // Assert
    expect(res.status).toBe(200);
    const event = lastCall().event as APIGatewayProxyEventV2WithIAMAuthorizer;
    expect(event.routeKey).toBe('POST /v1/admin/accounts/{id}/credit');
    expect(event.pathParameters).toEqual({ id: 'acc-1' });
    expect(event.requestContext.authorizer.iam.userArn).toBe('arn:aws:iam::000000000000:user/local-operator');
  });
});

describe('handler result → HTTP response', () => {
  it('maps a structured result: status, headers, cookies and body', async () => {
    // Arrange
    responses.set('send-message', () => ({
      statusCode: 202,
      headers: { 'Content-Type': 'application/json', 'X-Request-Cost': 2 },
      cookies: ['a=1; Path=/', 'b=2; HttpOnly'],
      body: '{"id":"m1"}',
    }));

    // Act
    const res = await call('POST', '/v1/messages', {
      headers: { 'content-type': 'application/json' },
      body: '{}',
    });

    // Assert
    expect(res.status).toBe(202);
    expect(res.headers['content-type']).toBe('application/json');
    expect(res.headers['x-request-cost']).toBe('2');
    expect(res.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; HttpOnly']);
    expect(res.json()).toEqual({ id: 'm1' });
  });

  it('decodes a base64 body', async () => {
    // Arrange
    const bytes = Buffer.from([137, 80, 78, 71, 0, 255]);
    responses.set('get-openapi', () => ({
      statusCode: 200,
      headers: { 'content-type': 'image/png' },
      body: bytes.toString('base64'),
      isBase64Encoded: true,
    }));

    // Act
    const res = await call('GET', '/openapi.json');

    // Assert
    expect(res.headers['content-type']).toBe('image/png');
    expect(res.body).toEqual(bytes);
  });

  it('answers 200 JSON for a result without statusCode', async () => {
    // Arrange
    responses.set('get-account', () => ({ id: 'acc-1', balance: '1.0000' }));
    responses.set('get-openapi', () => 'hello');

    // Act
    const object = await call('GET', '/v1/account');
    const text = await call('GET', '/openapi.json');

    // Assert
    expect(object.status).toBe(200);
    expect(object.headers['content-type']).toBe('application/json');
    expect(object.json()).toEqual({ id: 'acc-1', balance: '1.0000' });
    expect(text.body.toString()).toBe('"hello"');
  });

  it('answers 500 Internal Server Error when the handler throws, and logs it', async () => {
    // Arrange
    const logged = vi.spyOn(console, 'error').mockImplementation(() => {});
    responses.set('get-account', () => {
      throw new Error('boom');
    });

    // Act
    const res = await call('GET', '/v1/account');
    const after = await call('GET', '/openapi.json');

    // Assert
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
    expect(String(logged.mock.calls.flat())).toContain('boom');
    expect(after.status).toBe(200);
  });

  it('answers 500 for a malformed structured result', async () => {
    // Arrange
    vi.spyOn(console, 'error').mockImplementation(() => {});
    responses.set('get-account', () => ({ statusCode: 200, body: { not: 'a string' } }));

    // Act
    const res = await call('GET', '/v1/account');

    // Assert
    expect(res.status).toBe(500);
    expect(res.json()).toEqual({ message: 'Internal Server Error' });
  });
});

describe('greedy {proxy+} routes', () => {
  it('match the rest of the path, after literal and parameter routes', async () => {
    // Arrange
    const seen: APIGatewayProxyEventV2[] = [];
    const proxyApi = await startApiGateway({
      port: 0,
      operatorKey,
      routes: [
        { method: 'GET', path: '/files/{proxy+}', function: 'get-openapi', auth: 'public' },
        { method: 'GET', path: '/files/{name}', function: 'get-account', auth: 'public' },
        { method: 'GET', path: '/files/index', function: 'get-message', auth: 'public' },
      ],
      loadHandler: async () => async (event) => {
        seen.push(event);
        return {};
      },
    });

    // Act
    for (const path of ['/files/a/b/c.txt', '/files/one', '/files/index', '/files/']) {
      await fetch(`${proxyApi.url}${path}`);
    }
    await proxyApi.close();

    // Assert
    expect(seen.map((e) => [e.routeKey, e.pathParameters])).toEqual([
      ['GET /files/{proxy+}', { proxy: 'a/b/c.txt' }],
      ['GET /files/{name}', { name: 'one' }],
      ['GET /files/index', undefined],
    ]);
  });
});
