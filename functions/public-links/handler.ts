import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { makeDynamoLinkRepository } from '#adapters/dynamodb/link-repository';
import { makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { NotFound } from '#domain/errors';
import { confirmedPage, confirmPage, notFoundPage } from '#http/link-pages';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';
import { systemClock } from '#ports/clock';
import { confirmUnsubscribe, followShortLink, getUnsubscribeLink } from '#use-cases/links/links';

const table = makeTableAdapters();
const deps = {
  links: makeDynamoLinkRepository({ client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME }),
  accountBlocklist: table.accountBlocklist,
  clock: systemClock,
};
const CODE = /^[A-Za-z0-9]{8,32}$/;

/**
 * The public link routes (no authentication: the code is the capability):
 * `GET /l/{code}` redirects (302) to the long URL and counts the click; `GET /u/{code}` shows the
 * unsubscribe confirmation, `POST /u/{code}` blocklists the recipient's number for the sending account.
 */
async function handle(event: APIGatewayProxyEventV2): Promise<APIGatewayProxyStructuredResultV2> {
  const code = event.pathParameters?.code ?? '';
  if (!CODE.test(code)) return notFoundPage();
  try {
    switch (event.routeKey) {
      case 'GET /l/{code}':
        return {
          statusCode: 302,
          headers: { location: await followShortLink(deps, code), 'cache-control': 'no-store' },
        };
      case 'GET /u/{code}': {
        const link = await getUnsubscribeLink(deps, code);
        return link.confirmedAt ? confirmedPage(link.number) : confirmPage(code, link.number);
      }
      case 'POST /u/{code}':
        return confirmedPage((await confirmUnsubscribe(deps, code)).number);
      default:
        return notFoundPage();
    }
  } catch (error) {
    if (error instanceof NotFound) return notFoundPage();
    throw error;
  }
}

export const handler = middy(handle)
  .use(injectLambdaContext(logger, { clearState: true }))
  .use(captureLambdaHandler(tracer))
  .use(logMetrics(metrics, { captureColdStartMetric: true }));
