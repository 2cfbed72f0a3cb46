import { createHmac, timingSafeEqual } from 'node:crypto';

/** Header carrying the unix time (seconds) the webhook was signed at. */
export const TIMESTAMP_HEADER = 'x-sim-timestamp';
/** Header carrying `v1=<hex HMAC-SHA256>`. */
export const SIGNATURE_HEADER = 'x-sim-signature';

const TIMESTAMP = /^\d{1,12}$/;
const SIGNATURE = /^v1=([0-9a-fA-F]{64})$/;

/**
 * Signs a carrier webhook the way the simulator does: `v1=` + hex HMAC-SHA256 of `${timestamp}.${rawBody}`.
 * The timestamp is inside the MAC so a captured request cannot be replayed later with a fresh timestamp.
 * One implementation for both sides (the simulator signs, the platform verifies).
 */
export function signWebhook(secret: string, timestamp: number | string, rawBody: string): string {
  const mac = createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
  return `v1=${mac}`;
}

export interface VerifyWebhookInput {
  readonly secret: string;
  /** The `X-Sim-Timestamp` header as received (undefined when missing). */
  readonly timestamp: string | undefined;
  /** The `X-Sim-Signature` header as received (undefined when missing). */
  readonly signature: string | undefined;
  /** The body exactly as received: verify before parsing, never a re-serialised object. */
  readonly rawBody: string;
  /** Current unix time in seconds (injected so tests are deterministic). */
  readonly nowSeconds: number;
  /** How far the timestamp may be from now, either way. @default 300 */
  readonly toleranceSeconds?: number;
}

/**
 * True only for a well-formed, fresh signature made with `secret` over this exact body. Never throws:
 * missing or malformed headers, stale timestamps and wrong MACs all give false. The MAC comparison is
 * constant-time so the signature cannot be guessed byte by byte.
 */
export function verifyWebhook({
  secret,
  timestamp,
  signature,
  rawBody,
  nowSeconds,
  toleranceSeconds = 300,
}: VerifyWebhookInput): boolean {
  if (timestamp === undefined || signature === undefined || !TIMESTAMP.test(timestamp)) return false;
  const given = SIGNATURE.exec(signature)?.[1];
  if (given === undefined) return false;
  if (Math.abs(nowSeconds - Number(timestamp)) > toleranceSeconds) return false;
  const expected = signWebhook(secret, timestamp, rawBody).slice('v1='.length);
  return timingSafeEqual(Buffer.from(given, 'hex'), Buffer.from(expected, 'hex'));
}
