import { getParameter } from '@aws-lambda-powertools/parameters/ssm';
import { PinpointSMSVoiceV2Client } from '@aws-sdk/client-pinpoint-sms-voice-v2';
import { CarrierEnv, loadEnv } from '#config/env';
import type { CarrierGateway } from '#ports/carrier-gateway';
import { makeCarrierSimGateway } from './carrier-sim/carrier-sim-gateway';
import { makeEumSmsGateway } from './eum-sms/eum-sms-gateway';

/**
 * The carrier adapter chosen at deploy time (CARRIER=sim|eum). Secrets come from SSM SecureString
 * parameters when deployed (cached by Powertools), from the environment only in the local stack.
 */
export async function makeCarrier(env = loadEnv(CarrierEnv)): Promise<CarrierGateway> {
  if (env.CARRIER === 'eum') {
    return makeEumSmsGateway({
      // No SDK retries: SendTextMessage has no client token, so a retried timeout could send twice.
      client: new PinpointSMSVoiceV2Client({ maxAttempts: 1 }),
      configurationSetName: env.EUM_CONFIGURATION_SET,
      ...(env.EUM_ORIGINATION_IDENTITY ? { originationIdentity: env.EUM_ORIGINATION_IDENTITY } : {}),
    });
  }
  const apiKey =
    env.CARRIER_SIM_API_KEY ??
    (env.CARRIER_SIM_API_KEY_PARAM
      ? await getParameter(env.CARRIER_SIM_API_KEY_PARAM, { decrypt: true })
      : undefined);
  if (!apiKey) throw new Error('CARRIER_SIM_API_KEY or CARRIER_SIM_API_KEY_PARAM must be set');
  return makeCarrierSimGateway({ baseUrl: env.CARRIER_SIM_URL, apiKey });
}

/** The secret carriers sign webhooks with (value locally, SSM parameter when deployed). */
export async function loadWebhookSecret(env: {
  CARRIER_WEBHOOK_SECRET?: string | undefined;
  CARRIER_WEBHOOK_SECRET_PARAM?: string | undefined;
}): Promise<string> {
  const secret =
    env.CARRIER_WEBHOOK_SECRET ??
    (env.CARRIER_WEBHOOK_SECRET_PARAM
      ? await getParameter(env.CARRIER_WEBHOOK_SECRET_PARAM, { decrypt: true, maxAge: 300 })
      : undefined);
  if (!secret) throw new Error('CARRIER_WEBHOOK_SECRET or CARRIER_WEBHOOK_SECRET_PARAM must be set');
  return secret;
}
