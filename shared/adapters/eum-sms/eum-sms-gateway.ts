import {
  AccessDeniedException,
  ConflictException,
  type MessageType,
  type PinpointSMSVoiceV2Client,
  type PinpointSMSVoiceV2ServiceException,
  ResourceNotFoundException,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { CarrierUnavailable } from '#adapters/carrier-sim/carrier-sim-gateway';
import type { CarrierGateway, CarrierSubmission, SubmitResult } from '#ports/carrier-gateway';

/**
 * API limits, from the service model (botocore `pinpoint-sms-voice-v2/2022-03-31/service-2.json`):
 * `TimeToLive` integer 5..259200 s (the default, 72 h, when omitted); `TextMessageOriginationIdentity`
 * 1..256 chars of `[A-Za-z0-9_:/\+-]`; `ContextMap` at most 5 entries, values 1..800 chars.
 */
const TTL_MIN_SECONDS = 5;
const TTL_MAX_SECONDS = 259_200;
const ORIGINATION_IDENTITY = /^[A-Za-z0-9_:/+-]{1,256}$/;

/** A spend or daily quota does not clear within a second: back off longer than for an MPS throttle. */
const QUOTA_RETRY_AFTER_SECONDS = 60;

export interface EumSmsGatewayOptions {
  /**
   * Build it with `maxAttempts: 1`. SendTextMessage has no client token, so an SDK retry after a 5xx or a
   * timeout can send the SMS twice; throttling is retried by our queue instead (`throttled`).
   */
  readonly client: PinpointSMSVoiceV2Client;
  /** Its SNS event destination feeds `parseEumDeliveryEvent`. */
  readonly configurationSetName: string;
  /**
   * Used when the submission's `from` cannot be an origination identity (e.g. an alphanumeric sender id
   * with a space): typically a pool id/ARN, from which EUM picks the identity registered for the
   * destination country. Without it such a message is rejected.
   */
  readonly originationIdentity?: string;
  /**
   * TRANSACTIONAL (time-sensitive, EUM's higher-priority routing) unless the origination identities are
   * registered as PROMOTIONAL: a mismatch is refused with ConflictException MESSAGE_TYPE_MISMATCH.
   * @default 'TRANSACTIONAL'
   */
  readonly messageType?: MessageType;
}

/**
 * `CarrierGateway` over AWS End User Messaging SMS (`SendTextMessage`, pinpoint-sms-voice-v2).
 *
 * - `idempotentReferences: false`: SendTextMessage takes no client token, so EUM cannot recognise a
 *   second submission of the same reference. The send path therefore never re-submits an attempt that
 *   may have reached EUM (it leaves the message unconfirmed for the delivery event to settle).
 * - Sender: there is no SenderId parameter in v2; a registered alphanumeric sender id, a phone number
 *   (E.164) or a pool all go in `OriginationIdentity` (API reference, SendTextMessage). `from` is sent
 *   as is when the API's pattern allows it, otherwise `options.originationIdentity`.
 * - `Context: { reference }` is echoed in every event of the message (`context` in the event record),
 *   which is how `parseEumDeliveryEvent` matches a report to our message.
 * - One `MessageId` per message even when it goes out in several parts: `carrierIds` has one element.
 */
export function makeEumSmsGateway(options: EumSmsGatewayOptions): CarrierGateway {
  const { client, configurationSetName, messageType = 'TRANSACTIONAL' } = options;

  async function submit(submission: CarrierSubmission): Promise<SubmitResult> {
    const origination = originationIdentityFor(submission.from, options.originationIdentity);
    if (origination === undefined) {
      return { outcome: 'rejected', reason: `SENDER_ID_NOT_SUPPORTED: ${submission.from}` };
    }
    let messageId: string | undefined;
    try {
      const output = await client.send(
        new SendTextMessageCommand({
          DestinationPhoneNumber: submission.to,
          OriginationIdentity: origination,
          MessageBody: submission.text,
          MessageType: messageType,
          ConfigurationSetName: configurationSetName,
          Context: { reference: submission.reference },
          ...(submission.validitySeconds === undefined
            ? {}
            : { TimeToLive: timeToLive(submission.validitySeconds) }),
        }),
      );
      messageId = output.MessageId;
    } catch (error) {
      return outcomeOfError(error);
    }
    // EUM took the request, so the SMS may go out: a retry must not send it again (see above).
    if (messageId === undefined || messageId === '') {
      throw new CarrierUnavailable('EUM accepted the message without a MessageId');
    }
    return { outcome: 'accepted', carrierIds: [messageId] };
  }

  return { name: 'eum', idempotentReferences: false, submit };
}

function originationIdentityFor(from: string, fallback: string | undefined): string | undefined {
  return ORIGINATION_IDENTITY.test(from) ? from : fallback;
}

/** Validity in whole seconds, clamped to what the API accepts (5 s .. 72 h). */
function timeToLive(validitySeconds: number): number {
  return Math.min(TTL_MAX_SECONDS, Math.max(TTL_MIN_SECONDS, Math.floor(validitySeconds)));
}

/**
 * SendTextMessage's modelled errors (SDK `@throws`) are all 4xx: EUM did not take the message, so the
 * answer is certain. InternalServerException, unmodelled 5xx and network faults are not: they become
 * `CarrierUnavailable`.
 *
 * | Error | Outcome |
 * | --- | --- |
 * | ThrottlingException (MPS limit) | throttled, Retry-After header or 1 s |
 * | ServiceQuotaExceededException (e.g. MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT) | throttled, Retry-After or 60 s |
 * | ValidationException (INVALID_PARAMETER, DESTINATION_COUNTRY_BLOCKED, SENDER_ID_NOT_REGISTERED, ...) | rejected |
 * | ConflictException (DESTINATION_PHONE_NUMBER_OPTED_OUT, DESTINATION_PHONE_NUMBER_NOT_VERIFIED, ...) | rejected |
 * | ResourceNotFoundException (origination identity or configuration set unknown) | rejected |
 * | AccessDeniedException (ACCOUNT_DISABLED, INSUFFICIENT_ACCOUNT_REPUTATION, IAM) | rejected |
 * | InternalServerException, other errors | throw CarrierUnavailable |
 *
 * Opt-outs come as ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT (ConflictExceptionReason),
 * not as AccessDeniedException, whose reasons are account-wide.
 */
function outcomeOfError(error: unknown): SubmitResult {
  if (error instanceof ThrottlingException) {
    return { outcome: 'throttled', retryAfterSeconds: retryAfterSeconds(error, 1) };
  }
  if (error instanceof ServiceQuotaExceededException) {
    return { outcome: 'throttled', retryAfterSeconds: retryAfterSeconds(error, QUOTA_RETRY_AFTER_SECONDS) };
  }
  if (
    error instanceof ValidationException ||
    error instanceof ConflictException ||
    error instanceof ResourceNotFoundException ||
    error instanceof AccessDeniedException
  ) {
    return { outcome: 'rejected', reason: rejectionReason(error) };
  }
  const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  throw new CarrierUnavailable(`EUM SendTextMessage failed: ${detail}`, { cause: error });
}

/** `<Reason or error name>: <message>`, e.g. `DESTINATION_PHONE_NUMBER_OPTED_OUT: ...`. */
function rejectionReason(
  error: ValidationException | ConflictException | ResourceNotFoundException | AccessDeniedException,
): string {
  const code = ('Reason' in error && error.Reason) || error.name;
  const fields =
    error instanceof ValidationException && error.Fields?.length
      ? ` (${error.Fields.map((field) => field.Name).join(', ')})`
      : '';
  return `${code}: ${error.message}${fields}`;
}

/** The HTTP Retry-After header (delta-seconds) when the response carried one, else `fallback`. */
function retryAfterSeconds(error: PinpointSMSVoiceV2ServiceException, fallback: number): number {
  const header = error.$response?.headers['retry-after'] ?? error.$response?.headers['Retry-After'];
  const seconds = header === undefined ? Number.NaN : Number(header.trim());
  return Number.isFinite(seconds) && seconds > 0 ? Math.ceil(seconds) : fallback;
}
