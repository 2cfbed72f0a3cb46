import type { APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { SpreadsheetRejected } from '#adapters/spreadsheet/errors';
import {
  Blocklisted,
  Conflict,
  DailySpendLimitReached,
  DomainError,
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
import { json } from '../json';

/** The upstream's status codes (SMS-FACTS.md): 0/1 success, negative errors; always HTTP 200. */
export const SENDSMS_STATUS = {
  ok: 0,
  queued: 1,
  noAction: -1,
  noSuchAction: -2,
  missingParameter: -4,
  authenticationFailed: -8,
  internalError: -16,
  routingError: -32,
  notEnoughCredit: -64,
  invalidRecord: -128,
  couldNotSave: -256,
  duplicate: -512,
  tooManyRequests: -4096,
  tooManySimultaneous: -8192,
} as const;

/** The upstream's answer: `{ status, message, details }`; `details` is null when there is nothing. */
export interface SendsmsAnswer {
  readonly status: number;
  readonly message: string;
  readonly details: unknown;
}

export const answer = (status: number, message: string, details: unknown = null): SendsmsAnswer => ({
  status,
  message,
  details,
});

/** A parameter the action needs is missing or empty (-4), with its name as the upstream reports it. */
export class MissingParameter extends Error {
  constructor(readonly parameter: string) {
    super(parameter);
    this.name = 'MissingParameter';
  }
}

/** A parameter is present but unusable (-128 invalid record). */
export class InvalidParameter extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'InvalidParameter';
  }
}

type ErrorClass = abstract new (...args: never[]) => Error;

/** The one map from the platform's errors to upstream codes (the facade's `http/errors.ts`). */
const CODE_BY_ERROR: ReadonlyArray<readonly [ErrorClass, number, string]> = [
  [MissingParameter, SENDSMS_STATUS.missingParameter, 'Missing parameter'],
  [InvalidParameter, SENDSMS_STATUS.invalidRecord, 'Invalid parameter'],
  [Unauthorized, SENDSMS_STATUS.authenticationFailed, 'Authentication failed'],
  [RateLimited, SENDSMS_STATUS.tooManyRequests, 'Too many requests'],
  [InsufficientCredit, SENDSMS_STATUS.notEnoughCredit, 'Not enough credit'],
  [DailySpendLimitReached, SENDSMS_STATUS.notEnoughCredit, 'Daily spend limit reached'],
  [NotRoutable, SENDSMS_STATUS.routingError, 'Routing error'],
  [InvalidNumber, SENDSMS_STATUS.invalidRecord, 'Invalid phone number'],
  [Blocklisted, SENDSMS_STATUS.invalidRecord, 'The number is on the blocklist'],
  [MessageRejected, SENDSMS_STATUS.invalidRecord, 'Invalid message'],
  [ValidationFailed, SENDSMS_STATUS.invalidRecord, 'Invalid record'],
  [InvalidJson, SENDSMS_STATUS.invalidRecord, 'Invalid record'],
  [SpreadsheetRejected, SENDSMS_STATUS.invalidRecord, 'Invalid file'],
  [NotFound, SENDSMS_STATUS.invalidRecord, 'Not found'],
  [Forbidden, SENDSMS_STATUS.authenticationFailed, 'Not allowed'],
  [IdempotencyConflict, SENDSMS_STATUS.duplicate, 'Duplicate'],
  [Conflict, SENDSMS_STATUS.duplicate, 'Duplicate'],
];

/** AWS throttling: the platform itself is saturated, not the account (-8192). */
const THROTTLING = new Set([
  'ThrottlingException',
  'ProvisionedThroughputExceededException',
  'RequestLimitExceeded',
  'TooManyRequestsException',
]);

/**
 * An error as the upstream's answer, or undefined for an unexpected one (the caller logs it and
 * answers -16 without details: never a stack trace). Messages are the platform's own texts, which never
 * contain the request's credentials.
 */
export function errorAnswer(error: unknown): SendsmsAnswer | undefined {
  if (error instanceof Error && THROTTLING.has(error.name)) {
    return answer(SENDSMS_STATUS.tooManySimultaneous, 'Too many simultaneous requests');
  }
  // A batch in the wrong state for the action (not ready yet, not running) is not a duplicate.
  if (error instanceof Conflict && error.code.startsWith('BATCH_')) {
    return answer(SENDSMS_STATUS.invalidRecord, `Invalid record: ${error.message}`, { code: error.code });
  }
  for (const [type, status, label] of CODE_BY_ERROR) {
    if (error instanceof type) {
      const details =
        error instanceof DomainError
          ? { code: error.code, ...(error.details === undefined ? {} : { details: error.details }) }
          : null;
      return answer(status, `${label}: ${error.message}`, details);
    }
  }
  return undefined;
}

/** The HTTP response: always 200, as upstream (clients read `status`, not the HTTP code). */
export function httpAnswer(body: SendsmsAnswer): APIGatewayProxyStructuredResultV2 {
  return json(200, body, { 'cache-control': 'no-store' });
}
