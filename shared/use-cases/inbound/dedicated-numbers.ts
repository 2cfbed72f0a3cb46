import { NotFound, ValidationFailed } from '#domain/errors';
import { replyAddress } from '#domain/inbound/reply-address';
import type { DedicatedNumber, DedicatedNumbers } from '#ports/inbound';

export interface DedicatedNumberDeps {
  readonly numbers: DedicatedNumbers;
  readonly accountExists: (accountId: string) => Promise<boolean>;
}

/** A number in the form replies are matched on (digits, no `+`/`00`), or 400. */
export function dedicatedAddress(number: string): string {
  const address = replyAddress(number);
  if (address === undefined) throw new ValidationFailed('number must be a short code or a phone number');
  return address;
}

/**
 * Operator: dedicates one of the platform's numbers to an account. Every reply to it then goes to that
 * account, whoever sent last from it (a shared number routes by "last sent" instead).
 */
export async function assignDedicatedNumber(
  deps: DedicatedNumberDeps,
  command: { number: string; accountId: string; by: string; at: string },
): Promise<DedicatedNumber> {
  const number = dedicatedAddress(command.number);
  if (!(await deps.accountExists(command.accountId))) throw new NotFound('Account not found');
  const entry = { number, accountId: command.accountId, assignedAt: command.at, assignedBy: command.by };
  await deps.numbers.put(entry);
  return entry;
}

export async function releaseDedicatedNumber(deps: DedicatedNumberDeps, number: string): Promise<void> {
  if (!(await deps.numbers.remove(dedicatedAddress(number)))) throw new NotFound('Number not assigned');
}
