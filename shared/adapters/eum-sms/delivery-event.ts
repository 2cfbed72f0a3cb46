import { z } from 'zod';
import type { CarrierDeliveryState, DeliveryReport } from '#ports/carrier-gateway';

/** An SQS body that is not JSON, or not an EUM event record. Permanent: send it to the DLQ, do not retry. */
export class InvalidEumDeliveryEvent extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidEumDeliveryEvent';
  }
}

/**
 * SMS event types (SDK `EventType`; "Event types for SMS, MMS, and voice", AWS End User Messaging SMS
 * User Guide, configuration-sets-event-types) and the state each reports:
 *
 * | eventType | Meaning (AWS docs) | State |
 * | --- | --- | --- |
 * | TEXT_QUEUED | queued for delivery, not delivered yet | ACCEPTD |
 * | TEXT_SENT, TEXT_PENDING | being delivered | ENROUTE |
 * | TEXT_SUCCESSFUL | accepted by the recipient's carrier | DELIVRD if `isFinal`, else ACCEPTD |
 * | TEXT_DELIVERED | delivered | DELIVRD |
 * | TEXT_TTL_EXPIRED | not handed off before TimeToLive | EXPIRED |
 * | TEXT_INVALID | destination number not valid | UNDELIV |
 * | TEXT_UNREACHABLE | recipient's device unavailable (off, no network) | UNDELIV |
 * | TEXT_CARRIER_UNREACHABLE | temporary error on the recipient's carrier network | UNDELIV |
 * | TEXT_BLOCKED | device or carrier blocks messages to this recipient | UNDELIV |
 * | TEXT_INVALID_MESSAGE | message body invalid | REJECTD |
 * | TEXT_CARRIER_BLOCKED | carrier refused it as malicious or abusive | REJECTD |
 * | TEXT_SPAM | carrier refused it as unsolicited commercial content | REJECTD |
 * | TEXT_PROTECT_BLOCKED | our own protect configuration blocked it | REJECTD |
 * | TEXT_UNKNOWN | other reason, temporary or permanent; also sent after 72 h without a final event | UNKNOWN |
 *
 * UNDELIV is about the recipient, REJECTD about the message or sender. "Depending on the destination
 * country TEXT_DELIVERED and TEXT_SUCCESSFUL may be used interchangeably" (same page): a final
 * TEXT_SUCCESSFUL (short codes, countries without handset receipts) is the delivery report, a non-final
 * one is followed by TEXT_DELIVERED. A failure event with `isFinal: false` means EUM is still trying: it
 * reports ENROUTE (with its error) so that it does not close the message.
 */
const STATE_BY_EVENT_TYPE: Readonly<Record<string, CarrierDeliveryState>> = {
  TEXT_QUEUED: 'ACCEPTD',
  TEXT_SENT: 'ENROUTE',
  TEXT_PENDING: 'ENROUTE',
  TEXT_SUCCESSFUL: 'ACCEPTD',
  TEXT_DELIVERED: 'DELIVRD',
  TEXT_TTL_EXPIRED: 'EXPIRED',
  TEXT_INVALID: 'UNDELIV',
  TEXT_UNREACHABLE: 'UNDELIV',
  TEXT_CARRIER_UNREACHABLE: 'UNDELIV',
  TEXT_BLOCKED: 'UNDELIV',
  TEXT_INVALID_MESSAGE: 'REJECTD',
  TEXT_CARRIER_BLOCKED: 'REJECTD',
  TEXT_SPAM: 'REJECTD',
  TEXT_PROTECT_BLOCKED: 'REJECTD',
  TEXT_UNKNOWN: 'UNKNOWN',
};

const FAILURES: ReadonlySet<CarrierDeliveryState> = new Set(['EXPIRED', 'UNDELIV', 'REJECTD', 'UNKNOWN']);

/** The SNS notification envelope, when the subscription does not use raw message delivery. */
const SnsEnvelope = z.object({ Type: z.string(), Message: z.string() });

/**
 * The SMS event record ("SMS example log", AWS End User Messaging SMS User Guide,
 * configuration-sets-event-format). Only the fields we use are checked; the rest (mcc, mnc, carrierName,
 * prices...) is ignored.
 */
const EumTextEvent = z.object({
  eventType: z.string(),
  /** Unix time in milliseconds (bounded to what a Date can hold). */
  eventTimestamp: z.number().int().nonnegative().max(8.64e15),
  isFinal: z.boolean().optional(),
  messageId: z.string().min(1),
  destinationPhoneNumber: z.string().optional(),
  isoCountryCode: z.string().optional(),
  /** E.g. DELIVERED, SUCCESSFUL, TTL_EXPIRED, CARRIER_UNREACHABLE. */
  messageStatus: z.string().optional(),
  messageStatusDescription: z.string().optional(),
  /** The `Context` map of SendTextMessage, echoed back. */
  context: z.record(z.string(), z.unknown()).optional(),
  /** Parts EUM counted for the whole message: it sends one event per message, not per part. */
  totalMessageParts: z.number().int().positive().optional(),
});
type EumTextEvent = z.infer<typeof EumTextEvent>;

/**
 * Parses one SQS message body from the queue subscribed to the configuration set's SNS event
 * destination: the event record itself (raw message delivery) or an SNS `Notification` envelope around it.
 *
 * Returns null, to be acknowledged and dropped, for what is not a status of a message we sent: other
 * SNS message types, voice/MMS/RCS/registration events, unknown event types, and events without our
 * `context.reference` (sent by someone else through the same configuration set).
 *
 * EUM reports once per message, so the report is part 0 of 1 whatever `totalMessageParts` says, and
 * `carrierId` is the SendTextMessage `MessageId`.
 * @throws InvalidEumDeliveryEvent when the body is not JSON or not an event record.
 */
export function parseEumDeliveryEvent(body: string): DeliveryReport | null {
  let json = parseJson(body, 'SQS body');
  const envelope = SnsEnvelope.safeParse(json);
  if (envelope.success) {
    if (envelope.data.Type !== 'Notification') return null;
    json = parseJson(envelope.data.Message, 'SNS Message');
  }

  const eventType = z.object({ eventType: z.string() }).safeParse(json);
  if (!eventType.success) throw new InvalidEumDeliveryEvent('not an EUM event record: no eventType');
  const baseState = STATE_BY_EVENT_TYPE[eventType.data.eventType];
  if (baseState === undefined) return null;

  const parsed = EumTextEvent.safeParse(json);
  if (!parsed.success) {
    throw new InvalidEumDeliveryEvent(
      `invalid EUM ${eventType.data.eventType} event: ${z.prettifyError(parsed.error)}`,
      { cause: parsed.error },
    );
  }
  const event = parsed.data;
  const reference = event.context?.reference;
  if (typeof reference !== 'string' || reference === '') return null;

  const error = FAILURES.has(baseState) ? (event.messageStatus ?? event.eventType) : undefined;
  return {
    reference,
    carrierId: event.messageId,
    part: 0,
    parts: 1,
    state: stateOf(event, baseState),
    ...(error === undefined ? {} : { error }),
    at: new Date(event.eventTimestamp).toISOString(),
  };
}

function stateOf(event: EumTextEvent, baseState: CarrierDeliveryState): CarrierDeliveryState {
  if (event.eventType === 'TEXT_SUCCESSFUL') return event.isFinal === true ? 'DELIVRD' : 'ACCEPTD';
  if (event.isFinal === false && baseState !== 'UNKNOWN' && FAILURES.has(baseState)) return 'ENROUTE';
  return baseState;
}

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (cause) {
    throw new InvalidEumDeliveryEvent(`EUM ${what} is not JSON`, { cause });
  }
}
