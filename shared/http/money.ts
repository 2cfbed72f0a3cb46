import { ValidationFailed } from '#domain/errors';
import { InvalidAmount, parseMoney } from '#domain/money';

/** A request amount → integer units, or 400 VALIDATION_FAILED. */
export function amountFrom(input: string | number): number {
  try {
    return parseMoney(input);
  } catch (error) {
    if (error instanceof InvalidAmount) throw new ValidationFailed(error.message, { cause: error });
    throw error;
  }
}
