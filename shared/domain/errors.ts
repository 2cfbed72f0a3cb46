/**
 * Errors the domain and use cases raise on purpose. Each has a stable `code` that clients rely on
 * (`{ error: { code } }` in HTTP answers) and a class name that Step Functions Retry/Catch can match:
 * both are part of the contract, keep them stable. `shared/http/errors.ts` maps classes to statuses.
 */
export abstract class DomainError extends Error {
  abstract readonly code: string;
  readonly details: unknown;

  constructor(message: string, options?: { details?: unknown; cause?: unknown }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.details = options?.details;
  }
}

/** An error whose code the raiser names (one class, several codes of the same kind). */
abstract class CodedError extends DomainError {
  readonly code: string;
  constructor(code: string, message: string, options?: { details?: unknown }) {
    super(message, options);
    this.code = code;
  }
}

/** The request is malformed or breaks a field rule (400). */
export class ValidationFailed extends DomainError {
  readonly code = 'VALIDATION_FAILED';
}

/** The body is not JSON at all (400). */
export class InvalidJson extends DomainError {
  readonly code = 'INVALID_JSON';
}

/** Missing, unknown or revoked credentials (401). */
export class Unauthorized extends DomainError {
  readonly code = 'UNAUTHORIZED';
}

/** Known caller, not allowed (suspended account, sender not approved) (403). */
export class Forbidden extends CodedError {}

/** The resource does not exist for this caller; another account's resource is reported the same way (404). */
export class NotFound extends DomainError {
  readonly code = 'NOT_FOUND';
}

/** The balance cannot cover the quoted cost; nothing was charged (402). */
export class InsufficientCredit extends DomainError {
  readonly code = 'INSUFFICIENT_CREDIT';
}

/** The account's optional daily spend limit would be exceeded; nothing was charged (402). */
export class DailySpendLimitReached extends DomainError {
  readonly code = 'DAILY_SPEND_LIMIT_REACHED';
}

/** The destination is on the account's or the platform's blocklist; nothing was charged (422). */
export class Blocklisted extends DomainError {
  readonly code = 'BLOCKLISTED';
}

/** The destination number is not a valid (mobile) number; `details.reason` says why (422). */
export class InvalidNumber extends DomainError {
  readonly code = 'INVALID_NUMBER';
}

/** No price for the destination: the platform cannot route it (422). */
export class NotRoutable extends DomainError {
  readonly code = 'NOT_ROUTABLE';
}

/** A rule on the message itself: too many parts, empty text, bad sender id; or on a batch's plan (422). */
export class MessageRejected extends CodedError {}

/** A conflict with existing state: a taken username, a duplicate request (409). */
export class Conflict extends CodedError {}

/** The same idempotency key was used for a different request (409). */
export class IdempotencyConflict extends DomainError {
  readonly code = 'IDEMPOTENCY_CONFLICT';
}
