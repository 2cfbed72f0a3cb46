import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FunctionName } from '#topology/functions';
import { ROUTES, type RouteSpec, routeKey } from '#topology/routes';
import { LOCAL_ACCOUNT_ID, makeLambdaContext } from './sqs-poller';

/** API Gateway's request payload quota. */
const MAX_BODY_BYTES = 10 * 1024 * 1024;
/** Lambda's synchronous invocation payload quota: a bigger event never reaches the function. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;
const TEXT_TYPES =
  /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml|[\w.+-]+\+xml|javascript))/i;
const OPERATOR_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local-operator`;

export type HttpHandler = (
  event: APIGatewayProxyEventV2,
  context: Context,
) => Promise<APIGatewayProxyStructuredResultV2 | string | object>;

export interface ApiGatewayOptions {
  /** 0 = a free port. */
  port: number;
  /** @default '127.0.0.1' */
  host?: string;
  loadHandler: (fn: FunctionName) => Promise<HttpHandler>;
  /** Local stand-in for IAM: `Authorization: Bearer <operatorKey>` on `auth: 'operator'` routes. */
  operatorKey: string;
  /** Only for the adapter's own tests (e.g. a `{proxy+}` route). @default ROUTES */
  routes?: readonly RouteSpec[];
}

export interface ApiGateway {
  readonly url: string;
  readonly port: number;
  close(): Promise<void>;
}

type Segment = { kind: 0; literal: string } | { kind: 1; name: string } | { kind: 2; name: string };
interface CompiledRoute {
  readonly spec: RouteSpec;
  readonly key: string;
  readonly segments: readonly Segment[];
}
interface Match {
  readonly route: CompiledRoute;
  readonly params: Record<string, string>;
}
interface Reply {
  readonly status: number;
  readonly headers: Record<string, string | string[]>;
  readonly body: Buffer;
}

/**
 * A `node:http` stand-in for the HTTP API: routes from `ROUTES`, payload format 2.0 events in, results
 * mapped back to HTTP as API Gateway does. Each route's handler is loaded once, on first use.
 */
export async function startApiGateway(options: ApiGatewayOptions): Promise<ApiGateway> {
  const routes = (options.routes ?? ROUTES).map(compile);
  const handlers = new Map<FunctionName, Promise<HttpHandler>>();
  const loadOnce = (fn: FunctionName): Promise<HttpHandler> => {
    let handler = handlers.get(fn);
    if (!handler) {
      handler = options.loadHandler(fn);
      handler.catch(() => handlers.delete(fn)); // a failed init is retried, as Lambda does
      handlers.set(fn, handler);
    }
    return handler;
  };
  const server = createServer((req, res) => {
    handle(req, res, routes, loadOnce, options.operatorKey).catch((error) => {
      console.error('[api-gateway] unexpected failure', error);
      if (!res.headersSent) send(res, jsonReply(500, { message: 'Internal Server Error' }), '');
      else res.destroy();
    });
  });
  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, host, () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), 5_000);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  routes: readonly CompiledRoute[],
  loadHandler: (fn: FunctionName) => Promise<HttpHandler>,
  operatorKey: string,
): Promise<void> {
  const requestId = randomBytes(8).toString('base64url');
  const body = await readBody(req);
  if (body === 'too-large')
    return send(res, jsonReply(413, { message: 'Request Entity Too Large' }), requestId);
  const rawUrl = req.url ?? '/';
  const queryAt = rawUrl.indexOf('?');
  const rawPath = queryAt === -1 ? rawUrl : rawUrl.slice(0, queryAt);
  const rawQueryString = queryAt === -1 ? '' : rawUrl.slice(queryAt + 1);
  const match = matchRoute(routes, req.method ?? 'GET', rawPath);
  if (!match) return send(res, jsonReply(404, { message: 'Not Found' }), requestId);
  const { spec, key } = match.route;
  if (spec.auth === 'operator') {
    const denied = checkOperator(req.headers.authorization, operatorKey);
    if (denied)
      return send(res, jsonReply(401, { error: { code: 'UNAUTHORIZED', message: denied } }), requestId);
  }
  const event = buildEvent(req, {
    key,
    spec,
    params: match.params,
    rawPath,
    rawQueryString,
    body,
    requestId,
  });
  if (Buffer.byteLength(JSON.stringify(event)) > MAX_EVENT_BYTES) {
    return send(res, jsonReply(413, { message: 'Request Entity Too Large' }), requestId);
  }
  const context = makeLambdaContext(spec.function);
  let result: unknown;
  try {
    const handler = await loadHandler(spec.function);
    result = await withTimeout(handler(event, context), context.getRemainingTimeInMillis(), spec.function);
  } catch (error) {
    console.error(`[api-gateway] ${key} (${spec.function}) failed`, error);
    return send(res, jsonReply(500, { message: 'Internal Server Error' }), requestId);
  }
  const reply = toReply(result);
  if (!reply) {
    console.error(`[api-gateway] ${key} (${spec.function}) returned a malformed response`, result);
    return send(res, jsonReply(500, { message: 'Internal Server Error' }), requestId);
  }
  send(res, reply, requestId);
}

function compile(spec: RouteSpec): CompiledRoute {
  const segments = spec.path
    .split('/')
    .slice(1)
    .map((part): Segment => {
      const param = /^\{([^}]+?)(\+)?\}$/.exec(part);
      if (!param?.[1]) return { kind: 0, literal: part };
      return { kind: param[2] ? 2 : 1, name: param[1] };
    });
  return { spec, key: routeKey(spec), segments };
}

/** Most specific wins: at the first differing segment, literal beats `{param}` beats `{proxy+}`. */
function matchRoute(routes: readonly CompiledRoute[], method: string, rawPath: string): Match | undefined {
  const parts = rawPath.split('/').slice(1).map(decode);
  const matches = routes
    .filter((r) => r.spec.method === method)
    .map((route) => ({ route, params: matchSegments(route.segments, parts) }))
    .filter((m): m is Match => m.params !== undefined);
  matches.sort((a, b) => compareSpecificity(a.route.segments, b.route.segments));
  return matches[0];
}

function matchSegments(
  segments: readonly Segment[],
  parts: readonly string[],
): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  for (const [i, segment] of segments.entries()) {
    const part = parts[i];
    if (segment.kind === 2) {
      const rest = parts.slice(i);
      if (rest.length === 0 || rest.join('') === '') return undefined;
      params[segment.name] = rest.join('/');
      return params;
    }
    if (part === undefined) return undefined;
    if (segment.kind === 0 && segment.literal !== part) return undefined;
    if (segment.kind === 1) {
      if (part === '') return undefined;
      params[segment.name] = part;
    }
  }
  return segments.length === parts.length ? params : undefined;
}

function compareSpecificity(a: readonly Segment[], b: readonly Segment[]): number {
  for (let i = 0; i < Math.min(a.length, b.length); i++) {
    const diff = (a[i]?.kind ?? 0) - (b[i]?.kind ?? 0);
    if (diff !== 0) return diff;
  }
  return b.length - a.length;
}

function checkOperator(authorization: string | undefined, operatorKey: string): string | undefined {
  if (!authorization) return 'Missing operator credentials: send Authorization: Bearer <operator key>';
  const token = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(token), digest(operatorKey)) ? undefined : 'Invalid operator key';
}

function buildEvent(
  req: IncomingMessage,
  r: {
    key: string;
    spec: RouteSpec;
    params: Record<string, string>;
    rawPath: string;
    rawQueryString: string;
    body: Buffer;
    requestId: string;
  },
): APIGatewayProxyEventV2 {
  const now = new Date();
  const sourceIp = (req.socket.remoteAddress ?? '127.0.0.1').replace(/^::ffff:/, '');
  const { headers, cookies } = collectHeaders(req.rawHeaders);
  headers['x-forwarded-for'] = headers['x-forwarded-for']
    ? `${headers['x-forwarded-for']}, ${sourceIp}`
    : sourceIp;
  headers['x-forwarded-proto'] ??= 'http';
  headers['x-forwarded-port'] ??= String(req.socket.localPort ?? '');
  headers['x-amzn-trace-id'] ??=
    `Root=1-${Math.floor(now.getTime() / 1000).toString(16)}-${randomBytes(12).toString('hex')}`;
  const domainName = headers.host ?? 'localhost';
  const event: APIGatewayProxyEventV2 = {
    version: '2.0',
    routeKey: r.key,
    rawPath: r.rawPath,
    rawQueryString: r.rawQueryString,
    headers,
    requestContext: {
      accountId: LOCAL_ACCOUNT_ID,
      apiId: 'local',
      domainName,
      domainPrefix: domainName.split('.')[0] ?? domainName,
      http: {
        method: r.spec.method,
        path: r.rawPath,
        protocol: `HTTP/${req.httpVersion}`,
        sourceIp,
        userAgent: headers['user-agent'] ?? '',
      },
      requestId: r.requestId,
      routeKey: r.key,
      stage: '$default',
      time: formatTime(now),
      timeEpoch: now.getTime(),
    },
    isBase64Encoded: false,
  };
  if (cookies.length > 0) event.cookies = cookies;
  const query = parseQuery(r.rawQueryString);
  if (query) event.queryStringParameters = query;
  if (Object.keys(r.params).length > 0) event.pathParameters = r.params;
  if (r.body.length > 0) {
    const text = TEXT_TYPES.test(headers['content-type'] ?? '');
    event.body = r.body.toString(text ? 'utf8' : 'base64');
    event.isBase64Encoded = !text;
  }
  if (r.spec.auth === 'operator') {
    Object.assign(event.requestContext, {
      authorizer: {
        iam: {
          accessKey: 'LOCALOPERATORKEY',
          accountId: LOCAL_ACCOUNT_ID,
          callerId: 'LOCALOPERATOR',
          cognitoIdentity: null,
          principalOrgId: null,
          userArn: OPERATOR_ARN,
          userId: 'LOCALOPERATOR',
        },
      },
    });
  }
  return event;
}

/** Lower-cased names, duplicates comma-joined; `Cookie` headers become the `cookies` array. */
function collectHeaders(raw: readonly string[]): { headers: Record<string, string>; cookies: string[] } {
  const headers: Record<string, string> = {};
  const cookies: string[] = [];
  for (let i = 0; i + 1 < raw.length; i += 2) {
    const name = (raw[i] ?? '').toLowerCase();
    const value = raw[i + 1] ?? '';
    if (name === 'cookie') {
      cookies.push(
        ...value
          .split(';')
          .map((c) => c.trim())
          .filter(Boolean),
      );
      continue;
    }
    headers[name] = headers[name] === undefined ? value : `${headers[name]},${value}`;
  }
  return { headers, cookies };
}

function parseQuery(rawQueryString: string): Record<string, string> | undefined {
  if (!rawQueryString) return undefined;
  const query: Record<string, string> = {};
  for (const [name, value] of new URLSearchParams(rawQueryString)) {
    query[name] = query[name] === undefined ? value : `${query[name]},${value}`;
  }
  return Object.keys(query).length > 0 ? query : undefined;
}

/** Payload 2.0: a result with `statusCode` is structured; anything else is 200 JSON of the result. */
function toReply(result: unknown): Reply | undefined {
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

function jsonReply(status: number, value: unknown): Reply {
  return {
    status,
    headers: { 'content-type': 'application/json' },
    body: Buffer.from(JSON.stringify(value)),
  };
}

function send(res: ServerResponse, reply: Reply, requestId: string): void {
  res.writeHead(reply.status, {
    ...reply.headers,
    'content-length': String(reply.body.length),
    'apigw-requestid': requestId,
  });
  res.end(reply.body);
}

/** Reads the body up to API Gateway's quota; past it, the rest is drained and discarded. */
function readBody(req: IncomingMessage): Promise<Buffer | 'too-large'> {
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

function withTimeout<T>(work: Promise<T>, ms: number, functionName: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${functionName}: Task timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

function decode(segment: string): string {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time`: `12/Mar/2020:19:03:58 +0000`. */
function formatTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
