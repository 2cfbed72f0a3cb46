import type { LinkCodes } from '#domain/links/links';
import {
  type Message,
  type MessageEvent,
  type MessageStatus,
  messageReference,
  STATUS_RANK,
} from '#domain/message/message';
import { messageKey } from './keys';

/**
 * A batch message's item, written once when it is submitted. No gsi1 listing attributes: a batch's
 * messages are found through their batch's deterministic ids (`${batchId}R${row}`), and an index write
 * per message would cost another WRU each (docs/cost.md). Kept under 1 KB for a one-part text, so the
 * Put and the final update are one write unit each: the reference is derived, not stored.
 */
export function batchMessageItem(message: Message): Record<string, unknown> {
  const { reference: _reference, ...rest } = message;
  return {
    ...messageKey(message.accountId, message.id),
    entityType: 'message',
    version: 1,
    ...rest,
    statusRank: STATUS_RANK[message.status],
    partStates: {},
  };
}

/** Carrier ids of a multipart message reported part by part (`carrierId0`, `carrierId1`, …). */
function partCarrierIds(item: Record<string, unknown>): string[] | undefined {
  const ids: string[] = [];
  for (let part = 0; typeof item[`carrierId${part}`] === 'string'; part++)
    ids.push(String(item[`carrierId${part}`]));
  return ids.length > 0 ? ids : undefined;
}

/** Item → domain message. Item attributes never leave the adapter. */
export function toMessage(item: Record<string, unknown>): Message {
  const events = Array.isArray(item.events) ? (item.events as MessageEvent[]) : [];
  return {
    id: String(item.id),
    accountId: String(item.accountId),
    to: String(item.to),
    from: String(item.from),
    text: String(item.text),
    ...(typeof item.carrierText === 'string' ? { carrierText: item.carrierText } : {}),
    encoding: item.encoding === 'UCS-2' ? 'UCS-2' : 'GSM-7',
    parts: Number(item.parts),
    cost: Number(item.cost),
    pricePerPart: Number(item.pricePerPart),
    fundedBy: String(item.fundedBy ?? item.accountId),
    currency: String(item.currency),
    status: item.status as MessageStatus,
    ...(item.reason === undefined ? {} : { reason: String(item.reason) }),
    ...(Array.isArray(item.carrierIds)
      ? { carrierIds: item.carrierIds.map(String) }
      : partCarrierIds(item)
        ? { carrierIds: partCarrierIds(item) as string[] }
        : {}),
    createdAt: String(item.createdAt),
    events,
    reference:
      item.reference === undefined
        ? messageReference(String(item.accountId), String(item.id))
        : String(item.reference),
    ...(item.batchId === undefined ? {} : { batchId: String(item.batchId) }),
    ...(item.scheduledAt === undefined ? {} : { scheduledAt: String(item.scheduledAt) }),
    ...(item.validitySeconds === undefined ? {} : { validitySeconds: Number(item.validitySeconds) }),
    ...(typeof item.callbackUrl === 'string' ? { callbackUrl: item.callbackUrl } : {}),
    ...(isReport(item.report) ? { report: { url: item.report.url, mask: item.report.mask } } : {}),
    ...(typeof item.clientReference === 'string' ? { clientReference: item.clientReference } : {}),
    ...linksOf(item.links),
  };
}

function linksOf(value: unknown): { links?: LinkCodes } {
  const links = value as { short?: unknown; unsubscribe?: unknown } | undefined;
  if (!Array.isArray(links?.short)) return {};
  return {
    links: {
      short: links.short.map(String),
      ...(typeof links.unsubscribe === 'string' ? { unsubscribe: links.unsubscribe } : {}),
    },
  };
}

function isReport(value: unknown): value is { url: string; mask: number } {
  const report = value as { url?: unknown; mask?: unknown } | undefined;
  return typeof report?.url === 'string' && typeof report.mask === 'number';
}
