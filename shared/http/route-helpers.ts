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

/**
 * A query parameter sent empty is a parameter not sent: clients often send `cursor=` (or `limit=`) on the
 * first page, from a form field or a URL template with an empty variable. Every listing reads its
 * `limit` and `cursor` through this, so they all answer the same (docs/openapi.json, "Paging").
 */
export function emptyAsAbsent<S extends z.ZodType>(schema: S) {
  return z.preprocess((value) => (value === '' ? undefined : value), schema);
}

/**
 * `?cursor=`: what a listing answered as `cursor` (base64url, or `<chunk>.<offset>` / `<chunk>:<offset>`).
 * Anything else is refused here (400); a well-formed cursor that is not the caller's is refused where it
 * is decoded (`decodeCursor`), also 400.
 */
export const Cursor = emptyAsAbsent(
  z
    .string()
    .max(2000)
    .regex(/^[\w.:-]+$/, 'Invalid cursor')
    .optional(),
);

/** `?limit=`: 1..`max`, `fallback` when absent or empty. */
export function pageLimit(max: number, fallback: number) {
  return emptyAsAbsent(z.coerce.number().int().min(1).max(max).default(fallback));
}

/** `?limit=&cursor=` for paged listings: 1-1000, default 100 (400 otherwise). */
export const PageQuery = z.object({ limit: pageLimit(1000, 100), cursor: Cursor });

/** `?limit=&cursor=` of the customer listings (batches, batch rows, recurring campaigns, ledger): 1-100, default 50. */
export const CustomerPageQuery = z.object({ limit: pageLimit(100, 50), cursor: Cursor });

export function customerPage(query: Record<string, string | undefined> | undefined): {
  limit: number;
  cursor?: string;
} {
  const { limit, cursor } = parseQuery(
    { ...(query ? { queryStringParameters: query } : {}) },
    CustomerPageQuery,
  );
  return { limit, ...(cursor ? { cursor } : {}) };
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
