import 'aws-sdk-client-mock-vitest/extend';
import {
  AccessDeniedException,
  ConflictException,
  InternalServerException,
  PinpointSMSVoiceV2Client,
  ResourceNotFoundException,
  SendTextMessageCommand,
  ServiceQuotaExceededException,
  ThrottlingException,
  ValidationException,
} from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { CarrierUnavailable } from '#adapters/carrier-sim/carrier-sim-gateway';
import { makeEumSmsGateway } from '#adapters/eum-sms/eum-sms-gateway';
import type { CarrierSubmission } from '#ports/carrier-gateway';

const eum = mockClient(PinpointSMSVoiceV2Client);
const $metadata = { httpStatusCode: 400, requestId: 'req-1' };

const submission: CarrierSubmission = {
  reference: '01JBZ8Q5V6W7X8Y9Z0A1B2C3D4.01JBZ8R0K1M2N3P4Q5R6S7T8V9',
  to: '+40722123456',
  from: 'MyShop',
  text: 'Your code is 123456',
  encoding: 'GSM-7',
  parts: 1,
};

function gateway(options: { originationIdentity?: string } = {}) {
  return makeEumSmsGateway({
    client: new PinpointSMSVoiceV2Client({ region: 'eu-central-1' }),
    configurationSetName: 'sms-platform-events',
    ...options,
  });
}

function sentInput(): Record<string, unknown> {
  const call = eum.commandCalls(SendTextMessageCommand)[0];
  if (call === undefined) throw new Error('SendTextMessage was not called');
  return { ...call.args[0].input };
}

afterEach(() => {
  eum.reset();
});

describe('makeEumSmsGateway', () => {
  it('names itself and declares that EUM does not recognise a re-submitted reference', () => {
    // Arrange
    const carrier = gateway();

    // Assert
    expect(carrier.name).toBe('eum');
    expect(carrier.idempotentReferences).toBe(false);
  });

  it('sends one SendTextMessage with the configuration set and our reference as Context', async () => {
    // Arrange
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'msg-0001' });

    // Act
    await gateway().submit({ ...submission, validitySeconds: 3600 });

    // Assert
    expect(eum).toHaveReceivedCommandExactlyOnceWith(SendTextMessageCommand, {
      DestinationPhoneNumber: '+40722123456',
      OriginationIdentity: 'MyShop',
      MessageBody: 'Your code is 123456',
      MessageType: 'TRANSACTIONAL',
      ConfigurationSetName: 'sms-platform-events',
      Context: { reference: submission.reference },
      TimeToLive: 3600,
    });
  });

  it('leaves TimeToLive to EUM (72 h) when the submission has no validity', async () => {
    // Arrange
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'msg-0001' });

    // Act
    await gateway().submit(submission);

    // Assert
    expect(sentInput()).not.toHaveProperty('TimeToLive');
  });

  it.each([
    [1, 5],
    [3600.9, 3600],
    [259_200, 259_200],
    [1_000_000, 259_200],
  ])('clamps a validity of %s s to TimeToLive %s (API range 5..259200)', async (validitySeconds, ttl) => {
    // Arrange
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'msg-0001' });

    // Act
    await gateway().submit({ ...submission, validitySeconds });

    // Assert
    expect(eum).toHaveReceivedCommandWith(SendTextMessageCommand, { TimeToLive: ttl });
  });

  it('uses the configured origination identity when `from` cannot be one (space in a sender id)', async () => {
    // Arrange
    eum.on(SendTextMessageCommand).resolves({ MessageId: 'msg-0001' });
    const pool = 'arn:aws:sms-voice:eu-central-1:111122223333:pool/pool-0123456789abcdef';

    // Act
    await gateway({ originationIdentity: pool }).submit({ ...submission, from: 'My Shop' });

    // Assert
    expect(eum).toHaveReceivedCommandWith(SendTextMessageCommand, { OriginationIdentity: pool });
  });

  it('rejects without calling EUM when `from` cannot be an origination identity and none is configured', async () => {
    // Act
    const result = await gateway().submit({ ...submission, from: 'My Shop' });

    // Assert
    expect(result).toEqual({ outcome: 'rejected', reason: 'SENDER_ID_NOT_SUPPORTED: My Shop' });
    expect(eum).not.toHaveReceivedCommand(SendTextMessageCommand);
  });

  it('accepts with the one MessageId EUM gives per message, even a multipart one', async () => {
    // Arrange
    eum.on(SendTextMessageCommand).resolves({ MessageId: '862a8790-60c0-4430-9b2b-658bdexample' });

    // Act
    const result = await gateway().submit({ ...submission, parts: 3 });

    // Assert
    expect(result).toEqual({ outcome: 'accepted', carrierIds: ['862a8790-60c0-4430-9b2b-658bdexample'] });
  });

  it('treats an answer without MessageId as a lost answer (CarrierUnavailable)', async () => {
    // Arrange
    eum.on(SendTextMessageCommand).resolves({});

    // Act / Assert
    await expect(gateway().submit(submission)).rejects.toBeInstanceOf(CarrierUnavailable);
  });

  describe('errors', () => {
    it('maps ThrottlingException to throttled, 1 s by default', async () => {
      // Arrange
      eum
        .on(SendTextMessageCommand)
        .rejects(new ThrottlingException({ message: 'Rate exceeded', $metadata }));

      // Act
      const result = await gateway().submit(submission);

      // Assert
      expect(result).toEqual({ outcome: 'throttled', retryAfterSeconds: 1 });
    });

    it('takes the Retry-After header of a ThrottlingException when there is one', async () => {
      // Arrange
      const error = new ThrottlingException({ message: 'Rate exceeded', $metadata });
      error.$response = { statusCode: 429, headers: { 'retry-after': '7' }, body: undefined };
      eum.on(SendTextMessageCommand).rejects(error);

      // Act
      const result = await gateway().submit(submission);

      // Assert
      expect(result).toEqual({ outcome: 'throttled', retryAfterSeconds: 7 });
    });

    it('maps ServiceQuotaExceededException to throttled with a longer back-off', async () => {
      // Arrange
      eum.on(SendTextMessageCommand).rejects(
        new ServiceQuotaExceededException({
          message: 'Monthly spend limit reached',
          Reason: 'MONTHLY_SPEND_LIMIT_REACHED_FOR_TEXT',
          $metadata,
        }),
      );

      // Act
      const result = await gateway().submit(submission);

      // Assert
      expect(result).toEqual({ outcome: 'throttled', retryAfterSeconds: 60 });
    });

    it.each([
      [
        'ValidationException INVALID_PARAMETER',
        new ValidationException({
          message: 'Invalid destination phone number',
          Reason: 'INVALID_PARAMETER',
          Fields: [{ Name: 'DestinationPhoneNumber', Message: 'not E.164' }],
          $metadata,
        }),
        'INVALID_PARAMETER: Invalid destination phone number (DestinationPhoneNumber)',
      ],
      [
        'ValidationException DESTINATION_COUNTRY_BLOCKED',
        new ValidationException({
          message: 'Country blocked',
          Reason: 'DESTINATION_COUNTRY_BLOCKED',
          $metadata,
        }),
        'DESTINATION_COUNTRY_BLOCKED: Country blocked',
      ],
      [
        'ConflictException DESTINATION_PHONE_NUMBER_OPTED_OUT',
        new ConflictException({
          message: 'Destination phone number is opted out',
          Reason: 'DESTINATION_PHONE_NUMBER_OPTED_OUT',
          $metadata,
        }),
        'DESTINATION_PHONE_NUMBER_OPTED_OUT: Destination phone number is opted out',
      ],
      [
        'ConflictException DESTINATION_PHONE_NUMBER_NOT_VERIFIED',
        new ConflictException({
          message: 'Sandbox: destination not verified',
          Reason: 'DESTINATION_PHONE_NUMBER_NOT_VERIFIED',
          $metadata,
        }),
        'DESTINATION_PHONE_NUMBER_NOT_VERIFIED: Sandbox: destination not verified',
      ],
      [
        'ResourceNotFoundException',
        new ResourceNotFoundException({
          message: 'Sender id MyShop not found',
          ResourceType: 'sender-id',
          $metadata,
        }),
        'ResourceNotFoundException: Sender id MyShop not found',
      ],
      [
        'AccessDeniedException ACCOUNT_DISABLED',
        new AccessDeniedException({ message: 'Account disabled', Reason: 'ACCOUNT_DISABLED', $metadata }),
        'ACCOUNT_DISABLED: Account disabled',
      ],
    ])('maps %s to rejected with the reason', async (_name, error, reason) => {
      // Arrange
      eum.on(SendTextMessageCommand).rejects(error);

      // Act
      const result = await gateway().submit(submission);

      // Assert
      expect(result).toEqual({ outcome: 'rejected', reason });
    });

    it('rethrows InternalServerException as CarrierUnavailable, keeping the cause', async () => {
      // Arrange
      const cause = new InternalServerException({
        message: 'Internal error',
        $metadata: { httpStatusCode: 500 },
      });
      eum.on(SendTextMessageCommand).rejects(cause);

      // Act
      const thrown = await gateway()
        .submit(submission)
        .catch((error: unknown) => error);

      // Assert
      expect(thrown).toBeInstanceOf(CarrierUnavailable);
      expect(thrown).toMatchObject({ name: 'CarrierUnavailable', cause });
    });

    it('rethrows a network fault as CarrierUnavailable', async () => {
      // Arrange
      eum
        .on(SendTextMessageCommand)
        .rejects(Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' }));

      // Act / Assert
      await expect(gateway().submit(submission)).rejects.toThrow(CarrierUnavailable);
    });
  });
});
