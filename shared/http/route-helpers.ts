import type { APIGatewayProxyEventV2, Context } from 'aws-lambda';
import { z } from 'zod';
import { NotFound, ValidationFailed } from '#domain/errors';
import { type ApiResult, openRoute } from './api-handler';

/** One route of an operator function that serves several (`operatorRoutes`). */
export type OperatorRouteHandler = (event: APIGatewayProxyEventV2, context: Context) => Promise<ApiResult>;

/**
 * A function serving several operator routes of one resource (e.g. `/v1/admin/price-lists/*`),
 * dispatched on the route key like `customerRoutes`; each route parses its own body with `parseBody`.
 * The gateway has already authorised the operator (IAM deployed, the operator key locally).
 */
export function operatorRoutes(routes: Readonly<Record<string, OperatorRouteHandler>>) {
  return openRoute({ body: z.unknown() }, async (event, context) => {
    const route = Object.hasOwn(routes, event.routeKey) ? routes[event.routeKey] : undefined;
    if (!route) throw new NotFound(`No route ${event.routeKey}`);
    return route(event, context);
  });
}

/**
 * Who the operator is, for the ledger and decisions: the IAM principal when deployed, the local
 * stand-in's ARN locally.
 */
export function operatorOf(event: { requestContext: object }): string {
  const { authorizer } = event.requestContext as { authorizer?: { iam?: { userArn?: string } } };
  return authorizer?.iam?.userArn ?? 'operator';
}

/** `?limit=` for paged listings: 1-1000, default 100 (400 otherwise). */
export const PageQuery = z.object({
  limit: z.coerce.number().int().min(1).max(1000).default(100),
  cursor: z.string().min(1).optional(),
});

const CustomerPage = z.object({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().optional(),
});

/** `?limit=&cursor=` of the customer listings (batches, recurring campaigns, ledger): 1-100, default 50. */
export function customerPage(query: Record<string, string | undefined> | undefined): {
  limit: number;
  cursor?: string;
} {
  const parsed = CustomerPage.safeParse(query ?? {});
  if (!parsed.success) throw new ValidationFailed('limit must be 1-100');
  return { limit: parsed.data.limit, ...(parsed.data.cursor ? { cursor: parsed.data.cursor } : {}) };
}

/** Parses the query string with a zod schema (400 VALIDATION_FAILED, like a body). */
export function parseQuery<S extends z.ZodType>(
  event: { queryStringParameters?: Record<string, string | undefined> },
  schema: S,
): z.infer<S> {
  const result = schema.safeParse(event.queryStringParameters ?? {});
  if (!result.success) {
    throw new ValidationFailed('The query string is invalid', {
      details: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}
