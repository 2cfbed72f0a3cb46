/**
 * An error a local AWS endpoint answers in the service's own error shape: `type` is the name the SDK turns
 * into its exception class (`ValidationException`, `ResourceNotFoundException`…), `status` the HTTP status.
 */
export class ApiError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
  ) {
    super(message);
  }
}

/** A request that breaks one of the service's rules (400 `ValidationException`). */
export const invalid = (message: string) => new ApiError('ValidationException', message);
