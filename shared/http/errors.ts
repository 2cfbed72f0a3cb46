import { SpreadsheetRejected } from '#adapters/spreadsheet/errors';
import {
  Blocklisted,
  Conflict,
  DailySpendLimitReached,
  type DomainError,
  Forbidden,
  IdempotencyConflict,
  InsufficientCredit,
  InvalidJson,
  InvalidNumber,
  MessageRejected,
  NotFound,
  NotRoutable,
  Unauthorized,
  ValidationFailed,
} from '#domain/errors';
import { RateLimited } from '#domain/rate-limit';

type ErrorClass = abstract new (...args: never[]) => DomainError;

/** The one map from domain error class to HTTP status. Anything not listed is a 500. */
const STATUS_BY_ERROR: ReadonlyArray<readonly [ErrorClass, number]> = [
  [ValidationFailed, 400],
  [InvalidJson, 400],
  [Unauthorized, 401],
  [InsufficientCredit, 402],
  [DailySpendLimitReached, 402],
  [Forbidden, 403],
  [NotFound, 404],
  [IdempotencyConflict, 409],
  [Conflict, 409],
  [Blocklisted, 422],
  [InvalidNumber, 422],
  [NotRoutable, 422],
  [MessageRejected, 422],
  [RateLimited, 429],
  [SpreadsheetRejected, 422],
];

export function statusOf(error: DomainError): number {
  for (const [type, status] of STATUS_BY_ERROR) if (error instanceof type) return status;
  return 500;
}
