import { beforeEach, describe, expect, it } from 'vitest';
import { Conflict, NotFound, ValidationFailed } from '#domain/errors';
import {
  approveSenderIdRequest,
  listSenderIdRequests,
  listSenderIds,
  rejectSenderIdRequest,
  requestSenderId,
  type SenderIdDeps,
} from '#use-cases/sender-ids';
import { fixedClock, sequentialIds } from '../../support/in-memory';
import { InMemoryAccounts, InMemorySenderRequests, platformAccount } from '../../support/in-memory-platform';

describe('sender id use cases', () => {
  let accounts: InMemoryAccounts;
  let senderRequests: InMemorySenderRequests;
  let deps: SenderIdDeps;

  beforeEach(() => {
    accounts = new InMemoryAccounts(platformAccount(), platformAccount({ id: 'acc2' }));
    senderRequests = new InMemorySenderRequests();
    deps = { accounts, senderRequests, clock: fixedClock(), ids: sequentialIds() };
  });

  it('files a canonical pending request the operator sees in the queue', async () => {
    // Act
    const request = await requestSenderId(deps, {
      accountId: 'acc1',
      senderId: ' +1898 ',
      note: 'shop line',
    });

    // Assert
    expect(request).toMatchObject({
      accountId: 'acc1',
      senderId: '1898',
      status: 'pending',
      note: 'shop line',
    });
    const queue = await listSenderIdRequests(deps, { status: 'pending', limit: 10 });
    expect(queue.items.map((r) => r.id)).toEqual([request.id]);
  });

  it('refuses an invalid sender id with 400', async () => {
    await expect(
      requestSenderId(deps, { accountId: 'acc1', senderId: 'Way Too Long Name' }),
    ).rejects.toBeInstanceOf(ValidationFailed);
  });

  it('refuses (409) a sender already approved or already pending', async () => {
    await expect(requestSenderId(deps, { accountId: 'acc1', senderId: 'Shop' })).rejects.toMatchObject({
      code: 'SENDER_ID_APPROVED',
    });
    await requestSenderId(deps, { accountId: 'acc1', senderId: 'NewBrand' });
    await expect(requestSenderId(deps, { accountId: 'acc1', senderId: 'NewBrand' })).rejects.toMatchObject({
      code: 'SENDER_ID_PENDING',
    });
    // Another account may ask for the same name: approval is per account.
    await expect(requestSenderId(deps, { accountId: 'acc2', senderId: 'NewBrand' })).resolves.toBeDefined();
  });

  it('approval adds the sender after the default and marks the request approved (idempotently)', async () => {
    // Arrange
    const request = await requestSenderId(deps, { accountId: 'acc1', senderId: 'NewBrand' });

    // Act
    const approved = await approveSenderIdRequest(deps, { id: request.id, by: 'op' });
    const again = await approveSenderIdRequest(deps, { id: request.id, by: 'op' });

    // Assert
    expect(approved).toMatchObject({ status: 'approved', decidedBy: 'op' });
    expect(again.status).toBe('approved');
    expect(accounts.byId.get('acc1')?.senderIds).toEqual(['Shop', 'NewBrand']);
    expect(await listSenderIds(deps, 'acc1')).toMatchObject({
      approved: ['Shop', 'NewBrand'],
      requests: [{ id: request.id, status: 'approved' }],
    });
    expect((await listSenderIdRequests(deps, { status: 'pending', limit: 10 })).items).toEqual([]);
  });

  it('rejection keeps the sender unusable, records the reason, and allows a new request', async () => {
    // Arrange
    const request = await requestSenderId(deps, { accountId: 'acc1', senderId: 'Bank' });

    // Act
    const rejected = await rejectSenderIdRequest(deps, { id: request.id, reason: 'Impersonation', by: 'op' });

    // Assert
    expect(rejected).toMatchObject({ status: 'rejected', reason: 'Impersonation' });
    expect(accounts.byId.get('acc1')?.senderIds).toEqual(['Shop']);
    await expect(approveSenderIdRequest(deps, { id: request.id, by: 'op' })).rejects.toBeInstanceOf(Conflict);
    await expect(requestSenderId(deps, { accountId: 'acc1', senderId: 'Bank' })).resolves.toMatchObject({
      status: 'pending',
    });
  });

  it('cannot reject an approved request; unknown ids are 404', async () => {
    const request = await requestSenderId(deps, { accountId: 'acc1', senderId: 'NewBrand' });
    await approveSenderIdRequest(deps, { id: request.id, by: 'op' });
    await expect(
      rejectSenderIdRequest(deps, { id: request.id, reason: 'x', by: 'op' }),
    ).rejects.toBeInstanceOf(Conflict);
    await expect(approveSenderIdRequest(deps, { id: 'nope', by: 'op' })).rejects.toBeInstanceOf(NotFound);
    await expect(rejectSenderIdRequest(deps, { id: 'nope', reason: 'x', by: 'op' })).rejects.toBeInstanceOf(
      NotFound,
    );
  });

  it('an account lists only its own requests', async () => {
    await requestSenderId(deps, { accountId: 'acc1', senderId: 'NewBrand' });
    expect((await listSenderIds(deps, 'acc2')).requests).toEqual([]);
  });
});
