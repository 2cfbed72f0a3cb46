import { beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import { RateLimited } from '#domain/rate-limit';
import { messageView } from '#http/presenters';
import type {
  DailyCodeLimits,
  PendingPhoneVerification,
  PhoneVerificationRepository,
} from '#ports/phone-verification';
import { fixedPriceList } from '#ports/price-lists';
import type { Caller } from '#use-cases/accounts';
import { getMessage } from '#use-cases/get-message';
import {
  PHONE_CODES_PER_ACCOUNT_PER_DAY,
  PHONE_CODES_PER_NUMBER_PER_DAY,
  type PhoneVerificationDeps,
  requestPhoneVerification,
  verifyPhone,
} from '#use-cases/phone-verification';
import { submitMessage } from '#use-cases/submit-message';
import {
  InMemoryStore,
  plainHasher,
  RecordingQueue,
  ScriptedCarrier,
  sequentialIds,
  testAccount,
} from '../../support/in-memory';

/** The DynamoDB adapter's conditions, in memory. */
class InMemoryVerifications implements PhoneVerificationRepository {
  readonly items = new Map<string, PendingPhoneVerification>();
  get = async (accountId: string) => this.items.get(accountId);
  async start(
    pending: PendingPhoneVerification,
    guard: { now: number; resendAfter: string; maxAttempts: number },
  ) {
    const current = this.items.get(pending.accountId);
    const free =
      !current ||
      current.expiresAt <= guard.now ||
      (current.attempts < guard.maxAttempts && current.sentAt <= guard.resendAfter);
    if (free) this.items.set(pending.accountId, pending);
    return free;
  }
  async attempt(accountId: string, now: number, max: number) {
    const current = this.items.get(accountId);
    if (!current || current.expiresAt <= now || current.attempts >= max) return undefined;
    const next = { ...current, attempts: current.attempts + 1 };
    this.items.set(accountId, next);
    return next;
  }
  async consume(accountId: string, codeHash: string) {
    if (this.items.get(accountId)?.codeHash !== codeHash) return false;
    return this.items.delete(accountId);
  }
  remove = async (accountId: string) => void this.items.delete(accountId);
  readonly daily = new Map<string, number>();
  async countDaily(counter: { accountId: string; number: string; day: string }, limits: DailyCodeLimits) {
    const account = `${counter.accountId}/${counter.day}`;
    const number = `${counter.number}/${counter.day}`;
    if ((this.daily.get(account) ?? 0) >= limits.perAccount) return 'account' as const;
    this.daily.set(account, (this.daily.get(account) ?? 0) + 1);
    if ((this.daily.get(number) ?? 0) >= limits.perNumber) return 'number' as const;
    this.daily.set(number, (this.daily.get(number) ?? 0) + 1);
    return 'ok' as const;
  }
}

describe('phone verification', () => {
  let now: number;
  let store: InMemoryStore;
  let verifications: InMemoryVerifications;
  let deps: PhoneVerificationDeps;
  let caller: Caller;
  let codes: string[];

  beforeEach(() => {
    now = Date.parse('2026-11-24T10:00:00.000Z');
    store = new InMemoryStore();
    const account = testAccount({ balance: 0 });
    store.accounts.set(account.id, account);
    caller = { accountId: account.id, keyId: 'k', account };
    verifications = new InMemoryVerifications();
    codes = ['123456', '654321', '111111'];
    deps = {
      accounts: store.accountRepo,
      messages: store.messageRepo,
      blocklist: store.blocklistRepo,
      sendQueue: new RecordingQueue(),
      prices: fixedPriceList(DEFAULT_PRICE_LIST),
      clock: { now: () => new Date(now) },
      ids: sequentialIds(),
      verifications,
      hasher: plainHasher,
      newCode: () => codes.shift() ?? '000000',
    };
  });

  it('sends the code for free, stores only its salted hash, and the right code sets the phone', async () => {
    const sent = await requestPhoneVerification(deps, caller, { number: '0722 123 456' });
    expect(sent).toEqual({
      number: '+40722123456',
      expiresAt: '2026-11-24T10:10:00.000Z',
      messageId: expect.any(String),
    });
    const message = [...store.messages.values()][0];
    expect(message).toMatchObject({ cost: 0 });
    expect(JSON.stringify([...verifications.items.values()])).not.toMatch(/"123456"/);
    const account = await verifyPhone(deps, caller, { code: ' 123456 ' });
    expect(account).toMatchObject({ phone: '+40722123456', phoneVerifiedAt: '2026-11-24T10:00:00.000Z' });
    expect(store.accounts.get(caller.accountId)?.balance).toBe(0);
    await expect(verifyPhone(deps, caller, { code: '123456' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
  });

  it('a resend waits 60 s (RateLimited with the seconds left); the new code replaces the old one', async () => {
    await requestPhoneVerification(deps, caller, { number: '+40722123456' });
    now += 45_000;
    const early = await requestPhoneVerification(deps, caller, { number: '+40722123456' }).catch((e) => e);
    expect(early).toBeInstanceOf(RateLimited);
    expect(early.retryAfterSeconds).toBe(15);
    now += 15_000;
    await requestPhoneVerification(deps, caller, { number: '+40733123456' });
    await expect(verifyPhone(deps, caller, { code: '123456' })).rejects.toMatchObject({
      code: 'VALIDATION_FAILED',
    });
    expect((await verifyPhone(deps, caller, { code: '654321' })).phone).toBe('+40733123456');
  });

  it('the fifth wrong try locks the code until it expires; then a new code can be asked for', async () => {
    await requestPhoneVerification(deps, caller, { number: '+40722123456' });
    for (let left = 4; left >= 1; left--) {
      await expect(verifyPhone(deps, caller, { code: '999999' })).rejects.toMatchObject({
        details: { attemptsLeft: left },
      });
    }
    await expect(verifyPhone(deps, caller, { code: '999999' })).rejects.toMatchObject({
      code: 'VERIFICATION_LOCKED',
    });
    now += 5 * 60_000;
    await expect(verifyPhone(deps, caller, { code: '123456' })).rejects.toMatchObject({
      code: 'VERIFICATION_LOCKED',
      details: { retryAfterSeconds: 300 },
    });
    await expect(requestPhoneVerification(deps, caller, { number: '+40722123456' })).rejects.toMatchObject({
      code: 'VERIFICATION_LOCKED',
    });
    now += 5 * 60_000;
    await expect(verifyPhone(deps, caller, { code: '123456' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    await requestPhoneVerification(deps, caller, { number: '+40722123456' });
    expect((await verifyPhone(deps, caller, { code: '654321' })).phone).toBe('+40722123456');
  });

  it('an expired code is void; a refused send drops its code so another number can be tried at once', async () => {
    await requestPhoneVerification(deps, caller, { number: '+40722123456' });
    now += 600_000;
    await expect(verifyPhone(deps, caller, { code: '123456' })).rejects.toMatchObject({ code: 'NOT_FOUND' });
    store.blocked.add(`${caller.accountId}/+40744000001`);
    now += 1000;
    const refused = await requestPhoneVerification(deps, caller, { number: '+40744000001' }).catch((e) => e);
    expect(refused).toMatchObject({ code: 'BLOCKLISTED' });
    expect(verifications.items.size).toBe(0);
    await requestPhoneVerification(deps, caller, { number: '+40722123457' });
    expect(verifications.items.size).toBe(1);
  });

  it('the account never reads its own code back (GET /v1/messages/{id}), only the carrier gets it', async () => {
    const { messageId } = await requestPhoneVerification(deps, caller, { number: '+40733000111' });
    const shown = await getMessage(deps, { accountId: caller.accountId, messageId });
    expect(JSON.stringify(messageView(shown))).not.toContain('123456');
    expect(shown.text).toBe('Your verification code is ******. It expires in 10 minutes.');
    const carrier = new ScriptedCarrier(true);
    const submit = { messages: store.messageRepo, carrier, clock: deps.clock, ids: deps.ids };
    expect(await submitMessage(submit, { accountId: caller.accountId, messageId })).toBe('submitted');
    expect(carrier.submissions[0]?.text).toBe('Your verification code is 123456. It expires in 10 minutes.');
    expect((await verifyPhone(deps, caller, { code: '123456' })).phone).toBe('+40733000111');
  });

  it('caps free code SMS per account and per number (any account) each UTC day', async () => {
    const ask = (who: Caller, number: string) => {
      now += 61_000;
      return requestPhoneVerification(deps, who, { number }).catch((e) => e);
    };
    deps = { ...deps, newCode: () => '222222' };
    for (let i = 0; i < PHONE_CODES_PER_ACCOUNT_PER_DAY; i++)
      expect(await ask(caller, `+4072200${String(i).padStart(4, '0')}`)).toHaveProperty('messageId');
    const capped = await ask(caller, '+40722999999');
    expect(capped).toBeInstanceOf(RateLimited);
    expect(capped.retryAfterSeconds).toBe((Date.parse('2026-11-25T00:00:00Z') - now) / 1000);
    // One number, however many accounts ask for it.
    const victim = '+40755000001';
    for (let i = 0; i < PHONE_CODES_PER_NUMBER_PER_DAY + 1; i++) {
      const other = testAccount({ id: `other${i}`, balance: 0 });
      store.accounts.set(other.id, other);
      const answer = await ask({ accountId: other.id, keyId: 'k', account: other }, victim);
      if (i < PHONE_CODES_PER_NUMBER_PER_DAY) expect(answer).toHaveProperty('messageId');
      else expect(answer).toBeInstanceOf(RateLimited);
    }
    const toVictim = [...store.messages.values()].filter((m) => m.to === victim);
    expect(toVictim).toHaveLength(PHONE_CODES_PER_NUMBER_PER_DAY);
    // The next UTC day the account may ask again.
    now = Date.parse('2026-11-25T00:00:30.000Z');
    expect(await ask(caller, '+40722999999')).toHaveProperty('messageId');
  });
});
