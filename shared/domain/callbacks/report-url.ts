import type { Message, MessageEvent, MessageStatus } from '#domain/message/message';
import type { CallbackJob } from './callback';
import { statusEventId } from './callback';

/**
 * The sendSMS API's delivery reports (SMS-FACTS.md, Kannel's dlr-mask/dlr-url scheme): `report_mask`
 * bits 1 delivered, 2 undelivered, 4 queued at network, 8 sent to network, 16 failed at network
 * (default 19 = 1 + 2 + 16), and a `report_url` GET with `%d` replaced by the status bit.
 */
export interface ReportRequest {
  readonly url: string;
  readonly mask: number;
}

export const DEFAULT_REPORT_MASK = 19;

/**
 * Each status as its report bit; 0 = still on the platform (never reported). The carrier's acceptance
 * (`submitted`) is "sent to network"; the platform has no separate "queued at network" state (4).
 */
export const REPORT_BITS: Readonly<Record<MessageStatus, number>> = {
  accepted: 0,
  scheduled: 0,
  queued: 0,
  submitted: 8,
  delivered: 1,
  undelivered: 2,
  expired: 2,
  rejected: 16,
  failed: 16,
  cancelled: 16,
};

/** The `report_url` GET for a status change, or undefined when the mask does not select it. */
export function reportCallbackJob(message: Message, event: MessageEvent): CallbackJob | undefined {
  if (!message.report) return undefined;
  const bit = REPORT_BITS[event.status];
  if ((bit & message.report.mask) === 0) return undefined;
  return {
    accountId: message.accountId,
    url: message.report.url.split('%d').join(String(bit)),
    method: 'GET',
    sign: false,
    eventId: `${statusEventId(message.id, event.status)}.report`,
    type: 'message.report',
  };
}

/**
 * A `report_url` GET that carries a result as query parameters (the sendSMS API's `hlr_perform`
 * callback). Appended to the customer's own query as-is rather than through `URLSearchParams.set`, which
 * would re-encode their parameters (a literal `%d` would become `%25d`); a fragment is dropped (never sent).
 */
export function reportQueryJob(input: {
  accountId: string;
  url: string;
  query: Readonly<Record<string, string>>;
  eventId: string;
  type: string;
}): CallbackJob {
  const base = input.url.split('#')[0] ?? input.url;
  const query = new URLSearchParams(input.query).toString();
  const separator = !base.includes('?') ? '?' : base.endsWith('?') || base.endsWith('&') ? '' : '&';
  return {
    accountId: input.accountId,
    url: `${base}${separator}${query}`,
    method: 'GET',
    sign: false,
    eventId: input.eventId,
    type: input.type,
  };
}
