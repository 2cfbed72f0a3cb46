import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { InvalidEumDeliveryEvent, parseEumDeliveryEvent } from '#adapters/eum-sms/delivery-event';

function sample(name: string): string {
  return readFileSync(new URL(`../../../../events/eum/${name}.json`, import.meta.url), 'utf8');
}

/** The delivered sample with some fields replaced (or removed, with `undefined`). */
function variant(changes: Record<string, unknown>): string {
  return JSON.stringify({ ...JSON.parse(sample('delivered')), ...changes });
}

describe('parseEumDeliveryEvent', () => {
  it('parses a delivered event as part 0 of 1, whatever totalMessageParts says', () => {
    // Act
    const report = parseEumDeliveryEvent(sample('delivered'));

    // Assert
    expect(report).toEqual({
      reference: '01JBZ8Q5V6W7X8Y9Z0A1B2C3D4.01JBZ8R0K1M2N3P4Q5R6S7T8V9',
      carrierId: '862a8790-60c0-4430-9b2b-658bdexample',
      part: 0,
      parts: 1,
      state: 'DELIVRD',
      at: '2025-11-24T19:25:45.678Z',
    });
  });

  it('parses a failed event with messageStatus as the error', () => {
    // Act
    const report = parseEumDeliveryEvent(sample('failed'));

    // Assert
    expect(report).toEqual({
      reference: '01JBZ8Q5V6W7X8Y9Z0A1B2C3D4.01JBZ8R7W8X9Y0Z1A2B3C4D5E6',
      carrierId: '1f0c2a7e-3b9d-4e51-8a62-0d4c5eexample',
      part: 0,
      parts: 1,
      state: 'UNDELIV',
      error: 'CARRIER_UNREACHABLE',
      at: '2025-11-24T19:26:39.000Z',
    });
  });

  it('parses a TTL-expired event', () => {
    // Act
    const report = parseEumDeliveryEvent(sample('ttl-expired'));

    // Assert
    expect(report).toMatchObject({ state: 'EXPIRED', error: 'TTL_EXPIRED', at: '2025-11-24T19:30:12.980Z' });
  });

  it('unwraps an SNS Notification envelope (subscription without raw message delivery)', () => {
    // Act
    const report = parseEumDeliveryEvent(sample('sns-envelope'));

    // Assert: a final TEXT_SUCCESSFUL is the delivery report where the country has no handset receipts
    expect(report).toEqual({
      reference: '01JBZ8Q5V6W7X8Y9Z0A1B2C3D4.01JBZ8T3V4W5X6Y7Z8A9B0C1D2',
      carrierId: '9d3e4f5a-6b7c-4d8e-9f0a-1b2c3dexample',
      part: 0,
      parts: 1,
      state: 'DELIVRD',
      at: '2025-11-24T19:25:46.000Z',
    });
  });

  it.each([
    ['TEXT_QUEUED', 'ACCEPTD'],
    ['TEXT_SENT', 'ENROUTE'],
    ['TEXT_PENDING', 'ENROUTE'],
    ['TEXT_DELIVERED', 'DELIVRD'],
    ['TEXT_TTL_EXPIRED', 'EXPIRED'],
    ['TEXT_INVALID', 'UNDELIV'],
    ['TEXT_UNREACHABLE', 'UNDELIV'],
    ['TEXT_CARRIER_UNREACHABLE', 'UNDELIV'],
    ['TEXT_BLOCKED', 'UNDELIV'],
    ['TEXT_INVALID_MESSAGE', 'REJECTD'],
    ['TEXT_CARRIER_BLOCKED', 'REJECTD'],
    ['TEXT_SPAM', 'REJECTD'],
    ['TEXT_PROTECT_BLOCKED', 'REJECTD'],
    ['TEXT_UNKNOWN', 'UNKNOWN'],
  ])('maps a final %s to %s', (eventType, state) => {
    // Act
    const report = parseEumDeliveryEvent(variant({ eventType }));

    // Assert
    expect(report?.state).toBe(state);
  });

  it('reads a non-final TEXT_SUCCESSFUL (a TEXT_DELIVERED follows) as ACCEPTD', () => {
    // Act
    const report = parseEumDeliveryEvent(
      variant({ eventType: 'TEXT_SUCCESSFUL', messageStatus: 'SUCCESSFUL', isFinal: false }),
    );

    // Assert
    expect(report).toMatchObject({ state: 'ACCEPTD' });
    expect(report).not.toHaveProperty('error');
  });

  it('keeps a non-final failure open (ENROUTE) but reports its error', () => {
    // Act
    const report = parseEumDeliveryEvent(
      variant({
        eventType: 'TEXT_CARRIER_UNREACHABLE',
        messageStatus: 'CARRIER_UNREACHABLE',
        isFinal: false,
      }),
    );

    // Assert
    expect(report).toMatchObject({ state: 'ENROUTE', error: 'CARRIER_UNREACHABLE' });
  });

  it('falls back to the event type for the error when messageStatus is missing', () => {
    // Act
    const report = parseEumDeliveryEvent(variant({ eventType: 'TEXT_SPAM', messageStatus: undefined }));

    // Assert
    expect(report).toMatchObject({ state: 'REJECTD', error: 'TEXT_SPAM' });
  });

  describe('ignores (null) what is not a status of a message we sent', () => {
    it.each([
      ['a voice event', variant({ eventType: 'VOICE_COMPLETED' })],
      ['an event type we do not know', variant({ eventType: 'TEXT_SOMETHING_NEW' })],
      ['an event without context', variant({ context: undefined })],
      ['an event whose context has no reference', variant({ context: { account: 'bar' } })],
      [
        'an SNS subscription confirmation',
        JSON.stringify({ Type: 'SubscriptionConfirmation', Message: 'You have chosen to subscribe...' }),
      ],
    ])('%s', (_name, body) => {
      // Act / Assert
      expect(parseEumDeliveryEvent(body)).toBeNull();
    });
  });

  describe('throws InvalidEumDeliveryEvent for a body it cannot read', () => {
    it.each([
      ['a body that is not JSON', 'not json'],
      ['an SNS envelope whose Message is not JSON', JSON.stringify({ Type: 'Notification', Message: '{' })],
      ['JSON without eventType', JSON.stringify({ hello: 'world' })],
      ['a tracked event without messageId', variant({ messageId: undefined })],
      ['a tracked event with a string timestamp', variant({ eventTimestamp: '2025-11-24T19:25:45Z' })],
    ])('%s', (_name, body) => {
      // Act / Assert
      expect(() => parseEumDeliveryEvent(body)).toThrow(InvalidEumDeliveryEvent);
    });
  });
});
