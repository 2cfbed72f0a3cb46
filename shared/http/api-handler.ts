import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { logMetrics } from '@aws-lambda-powertools/metrics/middleware';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2, Context } from 'aws-lambda';
import type { z } from 'zod';
import { NotFound } from '#domain/errors';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { tracer } from '#observability/tracer';
import { apiKeyAuth, type Caller, httpErrors, jsonBody } from './middleware';

export type ApiResult = APIGatewayProxyStructuredResultV2;

/** The house middleware chain for an HTTP handler, in STYLE.md's order, error handling last. */
function base<E>(inner: (event: E, context: Context) => Promise<ApiResult>) {
  return middy(inner)
    .use(injectLambdaContext(logger, { clearState: true }))
    .use(captureLambdaHandler(tracer))
    .use(logMetrics(metrics, { captureColdStartMetric: true }));
}

type Authenticate = (authorization: string | undefined) => Promise<Caller>;

/** A customer route: API key auth, then the JSON body parsed by `schema`. */
export function customerRoute<S extends z.ZodType>(
  options: { authenticate: Authenticate; body: S },
  inner: (
    event: APIGatewayProxyEventV2 & { caller: Caller; parsed: z.infer<S> },
    context: Context,
  ) => Promise<ApiResult>,
) {
  return base(inner).use(apiKeyAuth(options.authenticate)).use(jsonBody(options.body)).use(httpErrors());
}

/** A customer route without a body (GET). */
export function customerQueryRoute(
  options: { authenticate: Authenticate },
  inner: (event: APIGatewayProxyEventV2 & { caller: Caller }, context: Context) => Promise<ApiResult>,
) {
  return base(inner).use(apiKeyAuth(options.authenticate)).use(httpErrors());
}

/** An operator route (IAM-authorised at the gateway) or a public one: JSON body parsed by `schema`. */
export function openRoute<S extends z.ZodType>(
  options: { body: S },
  inner: (event: APIGatewayProxyEventV2 & { parsed: z.infer<S> }, context: Context) => Promise<ApiResult>,
) {
  return base(inner).use(jsonBody(options.body)).use(httpErrors());
}

/** One route of a function that serves several (`customerRoutes`). */
export type CustomerRouteHandler = (
  event: APIGatewayProxyEventV2 & { caller: Caller },
  context: Context,
) => Promise<ApiResult>;

/**
 * A function serving several customer routes of one resource (e.g. `/v1/subusers/*`): API key auth
 * once, then dispatch on the route key. A route key the function does not serve is a 404, as the
 * gateway would answer.
 */
export function customerRoutes(
  options: { authenticate: Authenticate },
  routes: Readonly<Record<string, CustomerRouteHandler>>,
) {
  return customerQueryRoute(options, async (event, context) => {
    const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
    if (!route) throw new NotFound(`No route ${event.routeKey}`);
    return route(event, context);
  });
}
