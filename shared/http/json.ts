import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';

/** A JSON answer for API Gateway (payload v2). */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(body),
  };
}
