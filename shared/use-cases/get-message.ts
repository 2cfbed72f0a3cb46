import { NotFound } from '#domain/errors';
import type { Message } from '#domain/message/message';
import type { AccountRepository } from '#ports/account-repository';
import type { MessageRepository } from '#ports/message-repository';
import { type PlannedMessageDeps, plannedBatchMessage } from './batches/planned-message';

/**
 * One message of the caller's account — or, with `subuserId`, of one of the caller's subusers (a parent
 * sees its subusers' messages). Another account's id, a sibling's, or a parent's is simply not found.
 * With `planned`, a batch message not yet submitted (its item is written only then) is answered from
 * its batch's ready chunk: `queued`, or `cancelled` when the batch ended without sending it.
 */
export async function getMessage(
  deps: { messages: MessageRepository; accounts: AccountRepository; planned?: PlannedMessageDeps },
  query: { accountId: string; messageId: string; subuserId?: string },
): Promise<Message> {
  let owner = query.accountId;
  if (query.subuserId !== undefined) {
    const subuser = await deps.accounts.get(query.subuserId);
    if (subuser?.parentId !== query.accountId) throw new NotFound('Message not found');
    owner = subuser.id;
  }
  const message =
    (await deps.messages.get(owner, query.messageId)) ??
    (deps.planned ? await plannedBatchMessage(deps.planned, owner, query.messageId) : undefined);
  if (!message) throw new NotFound('Message not found');
  return message;
}
