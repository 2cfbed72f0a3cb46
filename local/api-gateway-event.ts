import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type { RouteSpec } from '#topology/routes';
import { LOCAL_ACCOUNT_ID } from './sqs-poller';

/** The payload format 2.0 event of the local HTTP API, and its stand-in for IAM (see api-gateway.ts). */

const TEXT_TYPES =
  /^(text\/|application\/(json|[\w.+-]+\+json|x-www-form-urlencoded|xml|[\w.+-]+\+xml|javascript))/i;
const OPERATOR_ARN = `arn:aws:iam::${LOCAL_ACCOUNT_ID}:user/local-operator`;

export function checkOperator(authorization: string | undefined, operatorKey: string): string | undefined {
  if (!authorization) return 'Missing operator credentials: send Authorization: Bearer <operator key>';
  const token = /^Bearer\s+(.+)$/i.exec(authorization.trim())?.[1] ?? '';
  const digest = (value: string) => createHash('sha256').update(value).digest();
  return timingSafeEqual(digest(token), digest(operatorKey)) ? undefined : 'Invalid operator key';
}

export function buildEvent(
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

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestContext.time`: `12/Mar/2020:19:03:58 +0000`. */
function formatTime(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${pad(d.getUTCDate())}/${MONTHS[d.getUTCMonth()]}/${d.getUTCFullYear()}:${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())} +0000`;
}
