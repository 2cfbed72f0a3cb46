import type { InboundMessage } from '#domain/inbound/inbound-message';
import type { Message, MessageEvent } from '#domain/message/message';
import { formatMoney } from '#domain/money';

/**
 * One HTTP call to a customer's endpoint, queued for the dispatcher. Self-contained (no read of the
 * message or account is needed to send it), so any producer can use it: status changes, replies, the
 * sendSMS facade's `report_url` GETs (its URL already carries the `%d` status code).
 */
export interface CallbackJob {
  /** Whose callback it is: the account whose secret signs it. */
  readonly accountId: string;
  readonly url: string;
  readonly method: 'POST' | 'GET';
  /** The exact bytes to send (JSON); absent = no body. */
  readonly body?: string;
  /** Sign with the account's callback secret (`X-Signature`). */
  readonly sign: boolean;
  /** Stable per event (`X-Callback-Id`): receivers de-duplicate on it; retries reuse it. */
  readonly eventId: string;
  /** What it reports (`X-Callback-Type`), e.g. `message.status`, `message.inbound`. */
  readonly type: string;
}

/** The JSON posted for a status change of a message. */
export function statusCallbackBody(message: Message, event: MessageEvent) {
  return {
    type: 'message.status',
    id: statusEventId(message.id, event.status),
    messageId: message.id,
    status: event.status,
    at: event.at,
    ...(event.reason === undefined ? {} : { reason: event.reason }),
    to: message.to,
    from: message.from,
    parts: message.parts,
    cost: formatMoney(message.cost),
    currency: message.currency,
    ...(message.batchId === undefined ? {} : { batchId: message.batchId }),
    ...(message.clientReference === undefined ? {} : { clientReference: message.clientReference }),
  };
}

/** One id per message and status: a status is reported once, however often the change is replayed. */
export function statusEventId(messageId: string, status: string): string {
  return `${messageId}.${status}`;
}

/** The JSON posted for a reply (MO). */
export function inboundCallbackBody(inbound: InboundMessage) {
  return {
    type: 'message.inbound',
    id: inbound.id,
    from: inbound.from,
    to: inbound.to,
    text: inbound.text,
    receivedAt: inbound.receivedAt,
    optOut: inbound.optOut,
    ...(inbound.inReplyTo === undefined ? {} : { inReplyTo: inbound.inReplyTo }),
  };
}

export const MAX_CALLBACK_URL_LENGTH = 2048;

/**
 * Whether `value` may be a callback URL: absolute http(s), no user:password part (it would be logged and
 * queued in clear). Private and loopback hosts are refused by the dispatcher, where the name is resolved.
 */
export function isCallbackUrl(value: string): boolean {
  if (value.length > MAX_CALLBACK_URL_LENGTH) return false;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return false;
  }
  return (url.protocol === 'https:' || url.protocol === 'http:') && !url.username && !url.password;
}
