import { App } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { PLACEHOLDER_CARRIER_URL, readPlatformConfig } from '../../infra/config';

const configOf = (context: Record<string, string>) => readPlatformConfig(new App({ context }));

describe('readPlatformConfig', () => {
  it('defaults to the dev stage and the simulator (placeholder URL)', () => {
    // Act & Assert
    expect(configOf({})).toEqual({ stage: 'dev', carrier: { kind: 'sim', url: PLACEHOLDER_CARRIER_URL } });
  });

  it('reads stage, carrier URL and alarm e-mail', () => {
    // Act
    const config = configOf({
      stage: 'prod',
      carrierUrl: 'https://sim.example.com',
      alarmEmail: 'ops@example.com',
    });
    // Assert
    expect(config).toEqual({
      stage: 'prod',
      carrier: { kind: 'sim', url: 'https://sim.example.com' },
      alarmEmail: 'ops@example.com',
    });
  });

  it('reads End User Messaging with an optional origination identity', () => {
    // Act & Assert
    expect(configOf({ carrier: 'eum' }).carrier).toEqual({ kind: 'eum' });
    expect(configOf({ carrier: 'eum', eumOriginationIdentity: 'pool-1' }).carrier).toEqual({
      kind: 'eum',
      originationIdentity: 'pool-1',
    });
  });

  it.each([
    [{ carrier: 'kannel' }, /carrier/],
    [{ carrierUrl: 'not a url' }, /carrierUrl/],
    [{ carrierUrl: 'ftp://sim.example.com' }, /http/],
    [{ stage: 'Prod_1' }, /stage/],
  ])('rejects %o', (context, message) => {
    // Act & Assert
    expect(() => configOf(context)).toThrow(message);
  });
});
