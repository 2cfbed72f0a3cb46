import type { Construct } from 'constructs';

/** Which carrier adapter the deployed functions use (`-c carrier=sim|eum`). */
export type CarrierConfig =
  | {
      readonly kind: 'sim';
      /** Base URL of the carrier simulator's HTTP API (`-c carrierUrl=https://…`). */
      readonly url: string;
    }
  | {
      readonly kind: 'eum';
      /** Phone number, pool or sender id (ARN) to send from (`-c eumOriginationIdentity=…`); default: per message. */
      readonly originationIdentity?: string;
    };

export interface PlatformConfig {
  /** Deployment stage (`-c stage=prod`): part of every stack, queue and parameter name. */
  readonly stage: string;
  readonly carrier: CarrierConfig;
  /** Subscribed by e-mail to the alarm topic (`-c alarmEmail=ops@example.com`); default: no subscription. */
  readonly alarmEmail?: string;
}

/**
 * Used when `carrier=sim` and no `carrierUrl` is given, so that a plain `cdk synth` works; `.invalid` is
 * reserved (RFC 2606) and never resolves, and synth warns about it.
 */
export const PLACEHOLDER_CARRIER_URL = 'https://carrier-simulator.invalid';

/** Physical names derived from the stage, shared by the stacks, the docs and the deploy commands. */
export function platformNames(stage: string) {
  const prefix = `sms-platform-${stage}`;
  return {
    /** Prefix of queue, state machine and schedule group names. */
    prefix,
    /** SSM SecureString holding the carrier simulator's API key (created before deploying). */
    carrierSimApiKeyParameter: `/sms-platform/${stage}/carrier-sim-api-key`,
    /** SSM SecureString holding the secret the carrier signs its webhooks with (created before deploying). */
    carrierWebhookSecretParameter: `/sms-platform/${stage}/carrier-webhook-secret`,
    /** End User Messaging configuration set (carrier=eum). */
    configurationSet: `sms-platform-${stage}`,
    /** EventBridge Scheduler group holding the one-time schedules that start batches (retained). */
    scheduleGroup: `${prefix}-batches`,
  } as const;
}

/** Reads and validates the deployment context (`cdk.json` defaults, overridden by `-c key=value`). */
export function readPlatformConfig(scope: Construct): PlatformConfig {
  const context = (key: string): string | undefined => {
    const value: unknown = scope.node.tryGetContext(key);
    if (value === undefined || value === null || value === '') return undefined;
    if (typeof value !== 'string')
      throw new Error(`Context "${key}" must be a string, got ${JSON.stringify(value)}`);
    return value;
  };
  const stage = context('stage') ?? 'dev';
  if (!/^[a-z][a-z0-9-]{0,19}$/.test(stage)) {
    throw new Error(
      `Context "stage" must be lowercase letters, digits and dashes (at most 20), got "${stage}"`,
    );
  }
  const alarmEmail = context('alarmEmail');
  return { stage, carrier: readCarrier(context), ...(alarmEmail ? { alarmEmail } : {}) };
}

function readCarrier(context: (key: string) => string | undefined): CarrierConfig {
  const kind = context('carrier') ?? 'sim';
  if (kind === 'eum') {
    const originationIdentity = context('eumOriginationIdentity');
    return { kind, ...(originationIdentity ? { originationIdentity } : {}) };
  }
  if (kind !== 'sim') throw new Error(`Context "carrier" must be "sim" or "eum", got "${kind}"`);
  const url = context('carrierUrl') ?? PLACEHOLDER_CARRIER_URL;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new Error(`Context "carrierUrl" must be an absolute URL, got "${url}"`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new Error(`Context "carrierUrl" must be http(s), got "${url}"`);
  }
  return { kind, url };
}

/** `deliveryReports` → `DeliveryReports`, `send-message` → `SendMessage`: CDK construct ids. */
export function pascalCase(name: string): string {
  return name.replace(/(^|[-_])([a-z0-9])/g, (_match, _sep, c: string) => c.toUpperCase());
}
