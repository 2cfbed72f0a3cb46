import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import { validateSenderId } from '#domain/sender/sender-id';
import type { SenderIdRequest, SenderIdRequestStatus } from '#domain/sender/sender-id-request';
import type { AccountRepository, Page } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { SenderIdRequestRepository } from '#ports/sender-id-requests';

export interface SenderIdDeps {
  readonly accounts: Pick<AccountRepository, 'get' | 'update'>;
  readonly senderRequests: SenderIdRequestRepository;
  readonly clock: Clock;
  readonly ids: IdGenerator;
}

/**
 * A customer asks to send from a new sender id.
 * 1. Validate and canonicalise it (`+1898` and `1898` are one sender).
 * 2. Refuse (409) one the account may already use, or one already waiting for the operator.
 * 3. Store the request `pending`; the operator's queue lists it.
 * Two identical requests racing past step 2 leave two pending requests; approving either (or both)
 * adds the sender once, so the race is harmless and not worth a guard item.
 */
export async function requestSenderId(
  deps: SenderIdDeps,
  command: { accountId: string; senderId: string; note?: string },
): Promise<SenderIdRequest> {
  const check = validateSenderId(command.senderId);
  if (!check.ok) {
    throw new ValidationFailed(`Not a valid sender id: ${check.reason}`, {
      details: [{ path: 'senderId', message: check.reason }],
    });
  }
  const account = await deps.accounts.get(command.accountId);
  if (!account) throw new NotFound('Account not found');
  if (account.senderIds.includes(check.value)) {
    throw new Conflict('SENDER_ID_APPROVED', `${check.value} is already approved for this account`);
  }
  const existing = await deps.senderRequests.listForAccount(command.accountId);
  const pending = existing.find((r) => r.status === 'pending' && r.senderId === check.value);
  if (pending) {
    throw new Conflict('SENDER_ID_PENDING', `${check.value} is already waiting for approval`, {
      details: { requestId: pending.id },
    });
  }
  const request: SenderIdRequest = {
    id: deps.ids.newId(),
    accountId: command.accountId,
    senderId: check.value,
    status: 'pending',
    createdAt: deps.clock.now().toISOString(),
    ...(command.note === undefined ? {} : { note: command.note }),
  };
  await deps.senderRequests.create(request);
  return request;
}

/** The caller's senders: those it may use now (default first) and its requests with their outcome. */
export async function listSenderIds(
  deps: Pick<SenderIdDeps, 'accounts' | 'senderRequests'>,
  accountId: string,
): Promise<{ approved: readonly string[]; requests: readonly SenderIdRequest[] }> {
  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFound('Account not found');
  return { approved: account.senderIds, requests: await deps.senderRequests.listForAccount(accountId) };
}

/** The operator's queue: requests in one status (pending by default), oldest first. */
export function listSenderIdRequests(
  deps: Pick<SenderIdDeps, 'senderRequests'>,
  query: { status: SenderIdRequestStatus; limit: number; cursor?: string },
): Promise<Page<SenderIdRequest>> {
  return deps.senderRequests.listByStatus(query.status, {
    limit: query.limit,
    ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
  });
}

/**
 * The operator approves a request.
 * 1. Find it by id (404); a rejected one cannot be approved (409).
 * 2. Add the sender to the account's `senderIds` unless present (read-modify-write of a short list:
 *    a concurrent change of the same account's senders could be lost; the operator is the only
 *    writer of that list, one decision at a time).
 * 3. Mark the request approved. Steps 2 and 3 are each idempotent, so a retried approval that
 *    failed halfway completes it.
 */
export async function approveSenderIdRequest(
  deps: Pick<SenderIdDeps, 'accounts' | 'senderRequests' | 'clock'>,
  command: { id: string; by: string },
): Promise<SenderIdRequest> {
  const request = await deps.senderRequests.get(command.id);
  if (!request) throw new NotFound('Sender id request not found');
  if (request.status === 'rejected') {
    throw new Conflict('SENDER_ID_REQUEST_DECIDED', 'The request was already rejected');
  }
  const account = await deps.accounts.get(request.accountId);
  if (!account) throw new NotFound('Account not found');
  if (!account.senderIds.includes(request.senderId)) {
    await deps.accounts.update(account.id, { senderIds: [...account.senderIds, request.senderId] });
  }
  const decided = await deps.senderRequests.decide(command.id, {
    status: 'approved',
    at: deps.clock.now().toISOString(),
    by: command.by,
  });
  return decided ?? request;
}

/**
 * The operator rejects a request with a reason the customer sees.
 * 1. Find it (404); an approved one cannot be rejected (409): remove the sender instead.
 * 2. Mark it rejected (a repeated rejection answers the first one).
 */
export async function rejectSenderIdRequest(
  deps: Pick<SenderIdDeps, 'senderRequests' | 'clock'>,
  command: { id: string; reason: string; by: string },
): Promise<SenderIdRequest> {
  const request = await deps.senderRequests.get(command.id);
  if (!request) throw new NotFound('Sender id request not found');
  if (request.status === 'approved') {
    throw new Conflict('SENDER_ID_REQUEST_DECIDED', 'The request was already approved');
  }
  const decided = await deps.senderRequests.decide(command.id, {
    status: 'rejected',
    at: deps.clock.now().toISOString(),
    by: command.by,
    reason: command.reason,
  });
  if (decided?.status === 'approved') {
    throw new Conflict('SENDER_ID_REQUEST_DECIDED', 'The request was approved meanwhile');
  }
  return decided ?? request;
}
