import type { Message, MessageEvent, MessageStatus } from '#domain/message/message';

/** Item → domain message. Item attributes never leave the adapter. */
export function toMessage(item: Record<string, unknown>): Message {
  const events = Array.isArray(item.events) ? (item.events as MessageEvent[]) : [];
  return {
    id: String(item.id),
    accountId: String(item.accountId),
    to: String(item.to),
    from: String(item.from),
    text: String(item.text),
    encoding: item.encoding === 'UCS-2' ? 'UCS-2' : 'GSM-7',
    parts: Number(item.parts),
    cost: Number(item.cost),
    pricePerPart: Number(item.pricePerPart),
    fundedBy: String(item.fundedBy ?? item.accountId),
    currency: String(item.currency),
    status: item.status as MessageStatus,
    ...(item.reason === undefined ? {} : { reason: String(item.reason) }),
    ...(Array.isArray(item.carrierIds) ? { carrierIds: item.carrierIds.map(String) } : {}),
    createdAt: String(item.createdAt),
    events,
    reference: String(item.reference),
    ...(item.batchId === undefined ? {} : { batchId: String(item.batchId) }),
    ...(item.scheduledAt === undefined ? {} : { scheduledAt: String(item.scheduledAt) }),
    ...(item.validitySeconds === undefined ? {} : { validitySeconds: Number(item.validitySeconds) }),
    ...(typeof item.callbackUrl === 'string' ? { callbackUrl: item.callbackUrl } : {}),
  };
}
