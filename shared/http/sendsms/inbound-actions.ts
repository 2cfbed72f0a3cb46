import type { InboundMessage } from '#domain/inbound/inbound-message';
import { listInbound } from '#use-cases/inbound/inbound-settings';
import { type Action, optional } from './context';
import { answer, SENDSMS_STATUS } from './response';

/** Most replies one `messages_get` returns, and how far back it looks for `last_id`. */
const MAX_REPLIES = 500;

/**
 * `messages_get(last_id)`: the replies received after the one with id `last_id`, oldest first, so a
 * client stores the last one's id and asks again (`last_id=0` or an unknown id: the latest 500). Reply
 * ids here are strings derived from the carrier's ids, not a counter, so "after" means "received after".
 */
export const messagesGet: Action = async ({ deps, caller, params }) => {
  const lastId = optional(params, 'last_id')?.trim();
  const newer: InboundMessage[] = [];
  let cursor: string | undefined;
  do {
    const page = await listInbound(deps, caller, { limit: 100, ...(cursor ? { cursor } : {}) });
    for (const reply of page.items) {
      if (reply.id === lastId) {
        cursor = undefined;
        return answer(SENDSMS_STATUS.ok, 'OK', newer.reverse().map(replyDetails));
      }
      newer.push(reply);
    }
    cursor = page.cursor;
  } while (cursor && newer.length < MAX_REPLIES);
  return answer(SENDSMS_STATUS.ok, 'OK', newer.slice(0, MAX_REPLIES).reverse().map(replyDetails));
};

function replyDetails(reply: InboundMessage) {
  return {
    id: reply.id,
    from: reply.from.replace(/^\+/, ''),
    to: reply.to,
    text: reply.text,
    received: reply.receivedAt,
    in_reply_to: reply.inReplyTo ?? null,
    opt_out: reply.optOut,
  };
}
