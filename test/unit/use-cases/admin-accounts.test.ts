import { describe, expect, it } from 'vitest';
import { NotFound } from '#domain/errors';
import { RateLimited } from '#domain/rate-limit';
import { setAccountStatus } from '#use-cases/admin-accounts';
import { enforceRateLimit } from '#use-cases/rate-limit';
import { InMemoryAccounts, platformAccount, ScriptedRateLimiter } from '../../support/in-memory-platform';

describe('setAccountStatus', () => {
  it('suspends and reactivates an account', async () => {
    const accounts = new InMemoryAccounts(platformAccount());
    expect(await setAccountStatus({ accounts }, { accountId: 'acc1', status: 'suspended' })).toMatchObject({
      status: 'suspended',
    });
    expect(await setAccountStatus({ accounts }, { accountId: 'acc1', status: 'active' })).toMatchObject({
      status: 'active',
    });
  });

  it('answers 404 for an unknown account', async () => {
    const accounts = new InMemoryAccounts();
    await expect(
      setAccountStatus({ accounts }, { accountId: 'x', status: 'suspended' }),
    ).rejects.toBeInstanceOf(NotFound);
  });
});

describe('enforceRateLimit', () => {
  it("counts the request against the account's own limit", async () => {
    const limiter = new ScriptedRateLimiter();
    await enforceRateLimit(limiter, platformAccount({ requestsPerSecond: 7 }));
    expect(limiter.calls).toEqual([{ accountId: 'acc1', limit: 7 }]);
  });

  it('throws RateLimited (RATE_LIMITED, retry after) when the allowance is used up', async () => {
    const limiter = new ScriptedRateLimiter([{ ok: false, retryAfterSeconds: 1 }]);
    const refusal = enforceRateLimit(limiter, platformAccount());
    await expect(refusal).rejects.toBeInstanceOf(RateLimited);
    await expect(refusal).rejects.toMatchObject({ code: 'RATE_LIMITED', retryAfterSeconds: 1 });
  });
});
