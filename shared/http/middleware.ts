import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError, InvalidJson, ValidationFailed } from '#domain/errors';
import { RateLimited } from '#domain/rate-limit';
import { logger } from '#observability/logger';
import type { Caller } from '#use-cases/accounts';
import { statusOf } from './errors';
import { json } from './json';

type HttpMiddleware = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

/**
 * Turns errors into the contract's `{ error: { code, message, details } }` with the mapped status.
 * Unknown errors are logged with their stack and answered with a bare 500: never serialised.
 * Register it last: middy runs `onError` in reverse order, so it sees every other middleware's error.
 */
export function httpErrors(): HttpMiddleware {
  return {
    onError: (request) => {
      const error = request.error;
      if (error instanceof DomainError) {
        const status = statusOf(error);
        if (status < 500) {
          const headers: Record<string, string> =
            error instanceof RateLimited ? { 'retry-after': String(error.retryAfterSeconds) } : {};
          request.response = json(
            status,
            {
              error: {
                code: error.code,
                message: error.message,
                ...(error.details === undefined ? {} : { details: error.details }),
              },
            },
            headers,
          );
          return;
        }
      }
      logger.error('Unhandled error', error as Error);
      request.response = json(500, { error: { code: 'INTERNAL', message: 'Internal error' } });
    },
  };
}

/** The request body as text (API Gateway base64-encodes bodies it considers binary). */
export function rawBody(event: Pick<APIGatewayProxyEventV2, 'body' | 'isBase64Encoded'>): string {
  if (event.body === undefined) return '';
  return event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
}

/** Parses an API Gateway event's JSON body with a zod schema (400 INVALID_JSON / VALIDATION_FAILED). */
export function parseBody<S extends z.ZodType>(event: APIGatewayProxyEventV2, schema: S): z.infer<S> {
  const raw = rawBody(event);
  let value: unknown;
  try {
    value = raw.trim() === '' ? {} : JSON.parse(raw);
  } catch (cause) {
    throw new InvalidJson('The request body is not valid JSON', { cause });
  }
  const result = schema.safeParse(value);
  if (!result.success) {
    throw new ValidationFailed('The request body is invalid', {
      details: result.error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
    });
  }
  return result.data;
}

/** Parses the JSON body with a zod schema into `event.parsed`. */
export function jsonBody<S extends z.ZodType>(
  schema: S,
): MiddlewareObj<APIGatewayProxyEventV2 & { parsed: z.infer<S> }> {
  return {
    before: (request) => {
      request.event.parsed = parseBody(request.event, schema);
    },
  };
}

export type { Caller } from '#use-cases/accounts';

/** Authenticates `Authorization: Bearer <api key>` and puts the caller on `event.caller` (401 otherwise). */
export function apiKeyAuth(
  authenticate: (authorization: string | undefined) => Promise<Caller>,
): MiddlewareObj<APIGatewayProxyEventV2 & { caller: Caller }> {
  return {
    before: async (request) => {
      request.event.caller = await authenticate(request.event.headers?.authorization);
    },
  };
}
