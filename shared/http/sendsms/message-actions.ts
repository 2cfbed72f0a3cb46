import { isCallbackUrl } from '#domain/callbacks/callback';
import { DEFAULT_REPORT_MASK, REPORT_BITS } from '#domain/callbacks/report-url';
import { type LinkCodes, shortMode, wantsUnsubscribe } from '#domain/links/links';
import type { Message } from '#domain/message/message';
import { logger } from '#observability/logger';
import { metrics } from '#observability/metrics';
import { resolveDestination } from '#use-cases/compose-message';
import { getMessage } from '#use-cases/get-message';
import { attachLinks } from '#use-cases/links/attach-links';
import { prepareLinks } from '#use-cases/links/links';
import { sendMessage } from '#use-cases/send-message';
import { type Action, type ActionContext, amount, isTrue, optional, required } from './context';
import { answer, InvalidParameter, SENDSMS_STATUS } from './response';

/** The upstream's numeric message statuses are the `report_mask` bits (0 while still on the platform). */
export const STATUS_CODE = REPORT_BITS;

/** `ctype`: 1 SMS; 2 RCS and 3 Viber are answered by SMS, which is their upstream fallback anyway. */
const CHANNELS = new Set(['1', '2', '3']);

/**
 * `message_send` / `message_send_gdpr`: one SMS through the platform's own `sendMessage` (same checks,
 * price, credit reservation and queue as `POST /v1/messages`). `details` is the message id, which
 * `message_status` takes. Encoding is always chosen from the text (GSM-7 or UCS-2), so `coding`,
 * `auto_detect_encoding` and `message_class` are accepted and need nothing more.
 */
export function messageSend(options: { gdpr: boolean }): Action {
  return async (context) => {
    const { params, caller, deps } = context;
    const to = required(params, 'to');
    let text = required(params, 'text');
    const ctype = optional(params, 'ctype');
    if (ctype !== undefined && !CHANNELS.has(ctype.trim()))
      throw new InvalidParameter('ctype must be 1, 2 or 3');
    const from = optional(params, 'from');
    const short = shortMode(params.short);
    const unsubscribe = wantsUnsubscribe(text, options.gdpr);
    let codes: LinkCodes | undefined;
    if (short.kind !== 'none' || unsubscribe) {
      const prepared = await prepareLinks(deps, {
        accountId: caller.accountId,
        to: resolveDestination(to, caller.account),
        text,
        short,
        unsubscribe,
        baseUrl: context.baseUrl,
      });
      text = prepared.text;
      codes = prepared.codes;
    }
    const report = reportRequest(params);
    const message = await sendMessage(sendDeps(context), {
      accountId: caller.accountId,
      to,
      text,
      ...(report ? { report } : {}),
      ...(from === undefined ? {} : { from: from.trim() }),
      ...(isTrue(params.smart_encoding) ? { smartEncoding: true } : {}),
      ...(codes ? { links: codes } : {}),
    });
    // Accepted and charged: from here on the answer is its id whatever happens to the attach (a client
    // given an error would send it again). A failed attach is finished by the sender (`attachLinks`).
    if (codes) {
      const outcome = await attachLinks(deps, codes, message.id);
      if (!outcome.attached) {
        logger.error('Links not attached; the sender attaches them', {
          messageId: message.id,
          error: outcome.error as Error,
        });
        metrics.addMetric('LinkAttachDeferred', 'Count', 1);
      }
    }
    return answer(SENDSMS_STATUS.queued, 'Sent', message.id);
  };
}

/** `report_url` (with `%d` for the status bit) and `report_mask` (default 19), validated. */
function reportRequest(params: Readonly<Record<string, string>>) {
  const url = optional(params, 'report_url')?.trim();
  if (url === undefined) return undefined;
  if (!isCallbackUrl(url)) throw new InvalidParameter('report_url must be an absolute http(s) URL');
  const maskText = optional(params, 'report_mask')?.trim();
  const mask = maskText === undefined ? DEFAULT_REPORT_MASK : Number(maskText);
  if (!Number.isInteger(mask) || mask < 0 || mask > 31)
    throw new InvalidParameter('report_mask must be 0-31');
  return { url, mask };
}

function sendDeps({ deps }: ActionContext) {
  return {
    ...(deps.statusChanged ? { statusChanged: deps.statusChanged } : {}),
    accounts: deps.accounts,
    messages: deps.messages,
    blocklist: deps.blocklist,
    sendQueue: deps.sendQueue,
    prices: deps.prices,
    clock: deps.clock,
    ids: deps.ids,
    ...(deps.platformSender === undefined ? {} : { platformSender: deps.platformSender }),
  };
}

/** `message_status(message_id)`: where a message is, what it cost and in how many parts. */
export const messageStatus: Action = async ({ deps, caller, params }) => {
  const message = await getMessage(deps, {
    accountId: caller.accountId,
    messageId: required(params, 'message_id').trim(),
  });
  return answer(SENDSMS_STATUS.ok, 'OK', messageDetails(message));
};

export function messageDetails(message: Message) {
  return {
    message_id: message.id,
    status: STATUS_CODE[message.status],
    status_text: message.status,
    to: message.to.replace(/^\+/, ''),
    from: message.from,
    parts: message.parts,
    cost: amount(message.cost),
    currency: message.currency,
    created: message.createdAt,
    updated: message.events.at(-1)?.at ?? message.createdAt,
    ...(message.reason === undefined ? {} : { reason: message.reason }),
    ...(message.clientReference === undefined ? {} : { client_reference: message.clientReference }),
  };
}
