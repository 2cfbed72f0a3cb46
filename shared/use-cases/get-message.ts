import { NotFound } from '#domain/errors';
import type { Message } from '#domain/message/message';
import type { AccountRepository } from '#ports/account-repository';
import type { MessageRepository } from '#ports/message-repository';

/**
 * One message of the caller's account — or, with `subuserId`, of one of the caller's subusers (a parent
 * sees its subusers' messages). Another account's id, a sibling's, or a parent's is simply not found.
 */
export async function getMessage(
  deps: { messages: MessageRepository; accounts: AccountRepository },
  query: { accountId: string; messageId: string; subuserId?: string },
): Promise<Message> {
  let owner = query.accountId;
  if (query.subuserId !== undefined) {
    const subuser = await deps.accounts.get(query.subuserId);
    if (subuser?.parentId !== query.accountId) throw new NotFound('Message not found');
    owner = subuser.id;
  }
  const message = await deps.messages.get(owner, query.messageId);
  if (!message) throw new NotFound('Message not found');
  return message;
}
