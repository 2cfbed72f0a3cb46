import type { MessageStatus } from './message';

/** Carrier-independent delivery states (SMPP 3.4 message_state / DLR `stat:`). */
export type CarrierDeliveryState =
  | 'ENROUTE'
  | 'ACCEPTD'
  | 'DELIVRD'
  | 'EXPIRED'
  | 'DELETED'
  | 'UNDELIV'
  | 'UNKNOWN'
  | 'REJECTD';

/**
 * What a carrier's DLR state means for our message. Intermediate states (ENROUTE, ACCEPTD) and UNKNOWN
 * say nothing final: they map to `submitted`, which never moves a message backwards (rank order).
 */
export function statusFromDeliveryState(state: CarrierDeliveryState): MessageStatus {
  switch (state) {
    case 'DELIVRD':
      return 'delivered';
    case 'UNDELIV':
    case 'DELETED':
      return 'undelivered';
    case 'EXPIRED':
      return 'expired';
    case 'REJECTD':
      return 'rejected';
    case 'ENROUTE':
    case 'ACCEPTD':
    case 'UNKNOWN':
      return 'submitted';
  }
}

/** Severity used to combine the parts of a multipart message: the message takes its worst part's outcome. */
const SEVERITY: Partial<Record<MessageStatus, number>> = {
  delivered: 1,
  expired: 2,
  undelivered: 3,
  rejected: 4,
};

/**
 * The status of a multipart message once every part has a final state; undefined while parts are
 * still pending. `partStates` holds one final status per part index reported so far.
 */
export function combinePartStatuses(
  partStates: Readonly<Record<string, MessageStatus>>,
  parts: number,
): MessageStatus | undefined {
  let worst: MessageStatus | undefined;
  for (let part = 0; part < parts; part++) {
    const state = partStates[String(part)];
    if (state === undefined) return undefined;
    if (worst === undefined || (SEVERITY[state] ?? 0) > (SEVERITY[worst] ?? 0)) worst = state;
  }
  return worst;
}
