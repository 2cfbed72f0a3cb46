import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { FunctionName } from '#topology/functions';
import { ROUTES, type RouteSpec } from '#topology/routes';
import { buildEvent, checkOperator } from './api-gateway-event';
import { jsonReply, readBody, send, toReply, withTimeout } from './api-gateway-http';
import { type CompiledRoute, compile, matchRoute } from './api-gateway-routes';
import { makeLambdaContext } from './sqs-poller';

/** Lambda's synchronous invocation payload quota: a bigger event never reaches the function. */
const MAX_EVENT_BYTES = 6 * 1024 * 1024;

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
