import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount } from '../support/api';

interface Balance {
  balance: string;
  reserved: string;
  spent: string;
}
interface LedgerBody {
  items: { amount: string; kind: string; reserved?: string; spent?: string }[];
  cursor?: string;
}

const units = (money: string) => Math.round(Number(money) * 10_000);

async function ledgerOf(key: string) {
  const entries: LedgerBody['items'] = [];
  let cursor: string | undefined;
  do {
    const page = await call<LedgerBody>(
      'GET',
      `/v1/account/ledger?limit=100${cursor ? `&cursor=${cursor}` : ''}`,
      {
        key,
      },
    );
    expect(page.status).toBe(200);
    entries.push(...page.body.items);
    cursor = page.body.cursor;
  } while (cursor);
  return entries;
}

/** balance == Σ ledger amounts, reserved == Σ reserved deltas, spent == Σ spent deltas. */
async function expectLedgerExplainsBalance(key: string) {
  const account = await call<Balance>('GET', '/v1/account', { key });
  const ledger = await ledgerOf(key);
  const sum = (pick: (e: LedgerBody['items'][number]) => string | undefined) =>
    ledger.reduce((total, e) => total + units(pick(e) ?? '0'), 0);
  expect(sum((e) => e.amount)).toBe(units(account.body.balance));
  expect(sum((e) => e.reserved)).toBe(units(account.body.reserved));
  expect(sum((e) => e.spent)).toBe(units(account.body.spent));
  return account.body;
}

const sendTo = (key: string, to = mobile('41')) =>
  call('POST', '/v1/messages', { key, body: { to, text: 'Race' } });

describe('credit never goes negative, however many sends race', () => {
  it('50 concurrent sends with credit for exactly 10: 10 accepted, 40 answered 402, balance 0', async () => {
    // Arrange: 10 × 0.0450
    const account = await newAccount('0.4500');

    // Act
    const answers = await Promise.all(Array.from({ length: 50 }, () => sendTo(account.apiKey)));

    // Assert
    expect(answers.filter((a) => a.status === 202)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 402)).toHaveLength(40);
    const after = await eventually(
      () => call<Balance>('GET', '/v1/account', { key: account.apiKey }),
      (r) => r.body.reserved === '0.0000',
    );
    expect(after.body).toMatchObject({ balance: '0.0000', spent: '0.4500' });
    await expectLedgerExplainsBalance(account.apiKey);
  });

  it('5 parent-funded subusers drawing on one parent at once: exactly what the parent can pay', async () => {
    const parent = await newAccount('0.4500');
    const subusers = await Promise.all(
      Array.from({ length: 5 }, async (_, i) => {
        const created = await call<{ apiKey: string }>('POST', '/v1/subusers', {
          key: parent.apiKey,
          body: { username: `race-${parent.id}-${i}`, password: 'correct horse battery', billing: 'parent' },
        });
        expect(created.status).toBe(201);
        return created.body.apiKey;
      }),
    );

    const answers = await Promise.all(
      subusers.flatMap((key) => Array.from({ length: 10 }, () => sendTo(key))),
    );

    expect(answers.filter((a) => a.status === 202)).toHaveLength(10);
    expect(answers.filter((a) => a.status === 402)).toHaveLength(40);
    const after = await eventually(
      () => call<Balance>('GET', '/v1/account', { key: parent.apiKey }),
      (r) => r.body.reserved === '0.0000',
    );
    expect(after.body).toMatchObject({ balance: '0.0000', spent: '0.4500' });
    await expectLedgerExplainsBalance(parent.apiKey);
  });
});

describe('settlement and refunds', () => {
  it('delivered and undelivered are settled; rejected (99) is refunded; invalid numbers are never charged', async () => {
    const account = await newAccount('1.0000');
    for (const suffix of ['11', '00', '99']) {
      expect((await sendTo(account.apiKey, mobile(suffix))).status).toBe(202);
    }
    expect((await sendTo(account.apiKey, '0711')).status).toBe(422);

    const after = await eventually(
      () => call<Balance>('GET', '/v1/account', { key: account.apiKey }),
      (r) => r.body.reserved === '0.0000',
    );
    // 3 × 0.0450 reserved; two settled (delivered, undelivered), one refunded (rejected).
    expect(after.body).toMatchObject({ balance: '0.9100', spent: '0.0900' });
    const ledger = await expectLedgerExplainsBalance(account.apiKey);
    expect(ledger.balance).toBe('0.9100');
  });
});

describe('top-ups and transfers', () => {
  it('a replayed top-up (same Idempotency-Key) is applied once', async () => {
    const { operatorKey } = (await import('../support/api')).stack();
    const account = await newAccount('0');
    const topUp = () =>
      call<{ balance: string }>('POST', `/v1/admin/accounts/${account.id}/credit`, {
        key: operatorKey,
        body: { amount: '5.0000', reason: 'Invoice 7' },
        headers: { 'idempotency-key': `invoice-7-${account.id}` },
      });
    const [first, second] = [await topUp(), await topUp()];
    expect(first.body.balance).toBe('5.0000');
    expect(second.body.balance).toBe('5.0000');
    await expectLedgerExplainsBalance(account.apiKey);
  });

  it('moves credit to a subuser in one transaction; more than the balance moves nothing', async () => {
    const parent = await newAccount('1.0000');
    const sub = await call<{ id: string; apiKey: string }>('POST', '/v1/subusers', {
      key: parent.apiKey,
      body: { username: `funded-${parent.id}`, password: 'correct horse battery', billing: 'separate' },
    });
    const transfer = (amount: string, key?: string) =>
      call<{ balance: string; subuserBalance: string }>(
        'POST',
        `/v1/subusers/${sub.body.id}/credit-transfers`,
        {
          key: parent.apiKey,
          body: { amount },
          ...(key ? { headers: { 'idempotency-key': key } } : {}),
        },
      );

    const ok = await transfer('0.4000', 'pay-1');
    expect(ok.status).toBe(201);
    expect(ok.body).toMatchObject({ balance: '0.6000', subuserBalance: '0.4000' });
    expect((await transfer('0.4000', 'pay-1')).body).toMatchObject({
      balance: '0.6000',
      subuserBalance: '0.4000',
    });

    const tooMuch = await transfer('0.6001');
    expect(tooMuch.status).toBe(402);
    const parentAfter = await expectLedgerExplainsBalance(parent.apiKey);
    const subAfter = await expectLedgerExplainsBalance(sub.body.apiKey);
    expect([parentAfter.balance, subAfter.balance]).toEqual(['0.6000', '0.4000']);

    const back = await transfer('-0.1000');
    expect(back.body).toMatchObject({ balance: '0.7000', subuserBalance: '0.3000' });
  });
});

describe('limits', () => {
  it('an optional daily spend limit refuses the send that would exceed it (402), charging nothing', async () => {
    const account = await newAccount('1.0000', { dailySpendLimit: '0.0900' });
    expect((await sendTo(account.apiKey)).status).toBe(202);
    expect((await sendTo(account.apiKey)).status).toBe(202);
    const third = await sendTo(account.apiKey);
    expect(third.status).toBe(402);
    expect(third.body).toMatchObject({ error: { code: 'DAILY_SPEND_LIMIT_REACHED' } });
    const after = await call<Balance>('GET', '/v1/account', { key: account.apiKey });
    expect(units(after.body.balance) + units(after.body.reserved) + units(after.body.spent)).toBe(10_000);
    expect(units(after.body.balance)).toBe(10_000 - 900);
  });
});
