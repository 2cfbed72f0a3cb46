import { type CallbackJob, statusCallbackBody, statusEventId } from '#domain/callbacks/callback';
import { reportCallbackJob } from '#domain/callbacks/report-url';
import type { Message, MessageEvent } from '#domain/message/message';
import type { CallbackQueue } from '#ports/callbacks';

/**
 * The one hook of the send path: "this message's status just changed". Called with the message as the
 * status update returned it, so a message without `callbackUrl` costs nothing (no read, no request).
 */
export type StatusChanged = (message: Message, event: MessageEvent) => Promise<void>;

/** The callback job for a status change, or undefined when the message has no callback URL. */
export function statusCallbackJob(message: Message, event: MessageEvent): CallbackJob | undefined {
  if (!message.callbackUrl) return undefined;
  return {
    accountId: message.accountId,
    url: message.callbackUrl,
    method: 'POST',
    body: JSON.stringify(statusCallbackBody(message, event)),
    sign: true,
    eventId: statusEventId(message.id, event.status),
    type: 'message.status',
  };
}

/**
 * Enqueues the status callback (and the sendSMS API's `report_url` GET when its mask selects the status). Best effort by design: the status change is already stored, and a
 * callback queue outage must not fail (and so retry) a submission or a delivery report; the failure is
 * reported through `onError` (logged and counted by the handler).
 */
export function makeStatusCallbacks(
  queue: CallbackQueue,
  onError: (error: unknown, message: Message) => void,
): StatusChanged {
  return async (message, event) => {
    const jobs = [statusCallbackJob(message, event), reportCallbackJob(message, event)].filter(
      (job): job is CallbackJob => job !== undefined,
    );
    if (jobs.length === 0) return;
    try {
      await queue.enqueue(jobs);
    } catch (error) {
      onError(error, message);
    }
  };
}
