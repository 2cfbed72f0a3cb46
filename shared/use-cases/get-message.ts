import { NotFound } from '#domain/errors';
import type { Message } from '#domain/message/message';
import type { MessageRepository } from '#ports/message-repository';

/** One message of the caller's account; another account's id is simply not found. */
export async function getMessage(
  deps: { messages: MessageRepository },
  query: { accountId: string; messageId: string },
): Promise<Message> {
  const message = await deps.messages.get(query.accountId, query.messageId);
  if (!message) throw new NotFound('Message not found');
  return message;
}
