import type { Account } from '#domain/account/account';
import { Forbidden, NotFound, ValidationFailed } from '#domain/errors';
import { RateLimited } from '#domain/rate-limit';
import type { SecretHasher } from '#ports/ids';
import type { PhoneVerificationRepository } from '#ports/phone-verification';
import type { Caller } from './accounts';
import { resolveDestination } from './compose-message';
import { type SendMessageDeps, sendMessage } from './send-message';

/** A code is valid for 10 minutes, allows 5 tries, and a new one can be asked for after a minute. */
export const PHONE_CODE_TTL_SECONDS = 600;
export const PHONE_CODE_MAX_ATTEMPTS = 5;
export const PHONE_CODE_RESEND_SECONDS = 60;
/**
 * Each code is a free SMS to a number the caller chooses: without daily caps an account (or many) could
 * send one a minute to anyone, for nothing (SMS pumping, harassment). Real users need one or two.
 */
export const PHONE_CODES_PER_ACCOUNT_PER_DAY = 10;
export const PHONE_CODES_PER_NUMBER_PER_DAY = 5;

export interface PhoneVerificationDeps extends SendMessageDeps {
  readonly verifications: PhoneVerificationRepository;
  readonly hasher: SecretHasher;
  /** A fresh one-time code (6 digits). */
  readonly newCode: () => string;
}

/**
 * What is stored for a code: its hash salted with the account and the number, so a hash is useless for
 * any other account or number (a 6-digit code is guessable offline from a bare hash; it is short-lived
 * and tries are counted, so SHA-256 is enough here).
 */
const codeSecret = (accountId: string, number: string, code: string) => `${accountId}:${number}:${code}`;

function locked(retryAfterSeconds: number) {
  return new Forbidden(
    'VERIFICATION_LOCKED',
    `Too many wrong codes; ask for a new code in ${retryAfterSeconds} s`,
    { details: { retryAfterSeconds } },
  );
}

/**
 * `PUT /v1/account/phone`: sends a one-time code by SMS to the number the caller wants to verify.
 * 1. The number is validated like any destination (national numbers take the account's country).
 * 2. Refused while the current code is locked (5 wrong tries: until it expires) or younger than a minute,
 *    and past 10 codes a day for the account or 5 a day for the number (RateLimited until UTC midnight).
 * 3. The code's hash is stored (10 min TTL), then the SMS goes through the normal send path (routing,
 *    blocklists, queue, delivery reports) as a free platform message from the platform's sender; if the
 *    send is refused, the stored code is dropped so another number can be tried at once.
 */
export async function requestPhoneVerification(
  deps: PhoneVerificationDeps,
  caller: Caller,
  input: { number: string },
): Promise<{ number: string; expiresAt: string; messageId: string }> {
  const { accountId } = caller;
  const to = resolveDestination(input.number, caller.account);
  const now = deps.clock.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const current = await deps.verifications.get(accountId);
  if (current && current.expiresAt > nowSeconds) {
    if (current.attempts >= PHONE_CODE_MAX_ATTEMPTS) throw locked(current.expiresAt - nowSeconds);
    const wait = Math.ceil(
      Date.parse(current.sentAt) / 1000 + PHONE_CODE_RESEND_SECONDS - now.getTime() / 1000,
    );
    if (wait > 0) throw new RateLimited(wait);
  }
  const day = now.toISOString().slice(0, 10);
  const capped = await deps.verifications.countDaily(
    { accountId, number: to, day },
    { perAccount: PHONE_CODES_PER_ACCOUNT_PER_DAY, perNumber: PHONE_CODES_PER_NUMBER_PER_DAY },
  );
  if (capped !== 'ok')
    throw new RateLimited(Math.ceil((Date.parse(`${day}T00:00:00Z`) + 86_400_000 - now.getTime()) / 1000));
  const code = deps.newCode();
  const expiresAt = nowSeconds + PHONE_CODE_TTL_SECONDS;
  const stored = await deps.verifications.start(
    {
      accountId,
      number: to,
      codeHash: deps.hasher.hash(codeSecret(accountId, to, code)),
      attempts: 0,
      sentAt: now.toISOString(),
      expiresAt,
    },
    {
      now: nowSeconds,
      resendAfter: new Date(now.getTime() - PHONE_CODE_RESEND_SECONDS * 1000).toISOString(),
      maxAttempts: PHONE_CODE_MAX_ATTEMPTS,
    },
  );
  // A concurrent request stored its code first.
  if (!stored) throw new RateLimited(PHONE_CODE_RESEND_SECONDS);
  try {
    const message = await sendMessage(deps, {
      accountId,
      to,
      text: `Your verification code is ${code}. It expires in ${PHONE_CODE_TTL_SECONDS / 60} minutes.`,
      free: true,
      conceal: code,
      ...(deps.platformSender === undefined ? {} : { from: deps.platformSender }),
    });
    return { number: to, expiresAt: new Date(expiresAt * 1000).toISOString(), messageId: message.id };
  } catch (error) {
    await deps.verifications.remove(accountId);
    throw error;
  }
}

/**
 * `POST /v1/account/phone/verify`: the code typed back. Every try is counted first (atomically, so
 * parallel guesses cannot exceed 5); the right code is consumed once and the number becomes the
 * account's verified `phone`. The fifth wrong try locks the code until it expires.
 */
export async function verifyPhone(
  deps: Pick<PhoneVerificationDeps, 'verifications' | 'hasher' | 'clock' | 'accounts'>,
  caller: Caller,
  input: { code: string },
): Promise<Account> {
  const { accountId } = caller;
  const now = deps.clock.now();
  const nowSeconds = Math.floor(now.getTime() / 1000);
  const pending = await deps.verifications.attempt(accountId, nowSeconds, PHONE_CODE_MAX_ATTEMPTS);
  if (!pending) {
    const current = await deps.verifications.get(accountId);
    if (current && current.expiresAt > nowSeconds && current.attempts >= PHONE_CODE_MAX_ATTEMPTS)
      throw locked(current.expiresAt - nowSeconds);
    throw new NotFound('No verification code is pending (none was asked for, or it expired)');
  }
  const right = deps.hasher.verify(
    codeSecret(accountId, pending.number, input.code.trim()),
    pending.codeHash,
  );
  if (!right) {
    const attemptsLeft = PHONE_CODE_MAX_ATTEMPTS - pending.attempts;
    if (attemptsLeft <= 0) throw locked(pending.expiresAt - nowSeconds);
    throw new ValidationFailed('Wrong code', { details: { attemptsLeft } });
  }
  if (!(await deps.verifications.consume(accountId, pending.codeHash)))
    throw new NotFound('No verification code is pending (none was asked for, or it expired)');
  const account = await deps.accounts.update(accountId, {
    phone: pending.number,
    phoneVerifiedAt: now.toISOString(),
  });
  if (!account) throw new NotFound('Account not found');
  return account;
}
