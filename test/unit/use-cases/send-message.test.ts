import { beforeEach, describe, expect, it } from 'vitest';
import type { Account } from '#domain/account/account';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import { fixedPriceList } from '#ports/price-lists';
import { type SendMessageDeps, sendMessage } from '#use-cases/send-message';
import {
  fixedClock,
  InMemoryStore,
  RecordingQueue,
  sequentialIds,
  testAccount,
} from '../../support/in-memory';

const account: Account = testAccount({ balance: 1000, senderIds: ['Shop', '1898'], maxParts: 3 });

describe('sendMessage', () => {
  let store: InMemoryStore;
  let queue: RecordingQueue;
  let deps: SendMessageDeps;

  beforeEach(() => {
    store = new InMemoryStore();
    store.accounts.set(account.id, account);
    queue = new RecordingQueue();
    deps = {
      accounts: store.accountRepo,
      messages: store.messageRepo,
      blocklist: store.blocklistRepo,
      sendQueue: queue,
      prices: fixedPriceList(DEFAULT_PRICE_LIST),
      clock: fixedClock(),
      ids: sequentialIds(),
    };
  });

  it('stores, charges, enqueues and marks the message queued', async () => {
    // Act
    const message = await sendMessage(deps, { accountId: 'acc1', to: '0722 123 456', text: 'Hello' });

    // Assert
    expect(message).toMatchObject({
      to: '+40722123456',
      from: 'Shop',
      status: 'queued',
      parts: 1,
      cost: 450,
    });
    expect(message.events.map((e) => e.status)).toEqual(['accepted', 'queued']);
    expect(queue.jobs).toEqual([{ accountId: 'acc1', messageId: message.id }]);
    expect(store.accounts.get('acc1')?.balance).toBe(550);
    expect(store.accounts.get('acc1')?.reserved).toBe(450);
    expect(store.ledger).toEqual([
      expect.objectContaining({ amount: -450, reservedDelta: 450, kind: 'reserve', ref: message.id }),
    ]);
  });

  it('prices per part: 161 GSM-7 characters are 2 parts', async () => {
    const message = await sendMessage(deps, { accountId: 'acc1', to: '+40722123456', text: 'a'.repeat(161) });
    expect(message).toMatchObject({ parts: 2, cost: 900 });
  });

  it('smart encoding (asked for) sends the transliterated text in fewer parts', async () => {
    store.accounts.set('acc1', { ...account, balance: 100_000 });
    const text = 'Ședința începe mâine la ora 10.'.repeat(3);
    const plain = await sendMessage(deps, { accountId: 'acc1', to: '+40722123456', text });
    const smart = await sendMessage(deps, {
      accountId: 'acc1',
      to: '+40722123457',
      text,
      smartEncoding: true,
    });
    expect(plain.encoding).toBe('UCS-2');
    expect(smart.encoding).toBe('GSM-7');
    expect(smart.text).toContain('Sedinta incepe maine');
    expect(smart.parts).toBeLessThan(plain.parts);
  });

  it.each([
    ['a short balance', { balance: 449 }, { to: '+40722123456', text: 'x' }, 'INSUFFICIENT_CREDIT'],
    ['an invalid number', {}, { to: '12345', text: 'x' }, 'INVALID_NUMBER'],
    ['a sender not approved', {}, { to: '+40722123456', text: 'x', from: 'Other' }, 'SENDER_NOT_ALLOWED'],
    ['too many parts', {}, { to: '+40722123456', text: 'a'.repeat(153 * 3 + 1) }, 'TOO_MANY_PARTS'],
    ['an empty text', {}, { to: '+40722123456', text: '' }, 'EMPTY_TEXT'],
    [
      'a suspended account',
      { status: 'suspended' as const },
      { to: '+40722123456', text: 'x' },
      'ACCOUNT_SUSPENDED',
    ],
  ])('refuses %s and changes nothing', async (_, accountChange, request, code) => {
    store.accounts.set('acc1', { ...account, ...accountChange });
    const before = store.accounts.get('acc1')?.balance;
    await expect(sendMessage(deps, { accountId: 'acc1', ...request })).rejects.toMatchObject({ code });
    expect(store.accounts.get('acc1')?.balance).toBe(before);
    expect(store.messages.size).toBe(0);
    expect(queue.jobs).toEqual([]);
  });

  it.each(['account', 'global'] as const)(
    'refuses a number on the %s blocklist, charging nothing',
    async (list) => {
      store.blocked.add(`${list === 'global' ? 'global' : 'acc1'}/+40722123456`);
      await expect(
        sendMessage(deps, { accountId: 'acc1', to: '0722123456', text: 'x' }),
      ).rejects.toMatchObject({
        code: 'BLOCKLISTED',
        details: { list, reason: list === 'global' ? 'blocklisted (platform)' : 'blocklisted (account)' },
      });
      expect(store.accounts.get('acc1')?.balance).toBe(1000);
    },
  );

  describe('when the send queue refuses the job', () => {
    // With an idempotency key the message stays accepted for the retry ("a retry after the queue failed").
    const refusing = { enqueue: async () => Promise.reject(new Error('SQS unavailable')) };

    it('without an idempotency key: fails and refunds the message before answering the error', async () => {
      // Act
      const error = await sendMessage(
        { ...deps, sendQueue: refusing },
        { accountId: 'acc1', to: '+40722123456', text: 'Hello' },
      ).catch((e: unknown) => e);

      // Assert: an error, and nothing charged: the message is final (its job, if it reached the queue
      // after all, is skipped by the sender)
      expect(error).toMatchObject({ name: 'NotQueued', cause: { message: 'SQS unavailable' } });
      expect(store.accounts.get('acc1')).toMatchObject({ balance: 1000, reserved: 0 });
      const [message] = [...store.messages.values()];
      expect(message).toMatchObject({ status: 'failed' });
      expect(message?.events.at(-1)).toMatchObject({ status: 'failed', reason: 'NOT_QUEUED' });
      expect(store.ledger.map((e) => e.kind)).toEqual(['reserve', 'refund']);
    });
  });

  it('replays the first answer for a repeated idempotency key and charges once', async () => {
    const idempotency = { key: 'k1', requestHash: 'h1' };
    const first = await sendMessage(deps, { accountId: 'acc1', to: '+40722123456', text: 'x', idempotency });
    const again = await sendMessage(deps, { accountId: 'acc1', to: '+40722123456', text: 'x', idempotency });
    expect(again.id).toBe(first.id);
    expect(store.messages.size).toBe(1);
    expect(store.accounts.get('acc1')?.balance).toBe(550);
  });

  it('refuses the same idempotency key with another request', async () => {
    await sendMessage(deps, {
      accountId: 'acc1',
      to: '+40722123456',
      text: 'x',
      idempotency: { key: 'k1', requestHash: 'h1' },
    });
    await expect(
      sendMessage(deps, {
        accountId: 'acc1',
        to: '+40722123456',
        text: 'y',
        idempotency: { key: 'k1', requestHash: 'h2' },
      }),
    ).rejects.toMatchObject({ code: 'IDEMPOTENCY_CONFLICT' });
  });

  it('a retry after the queue failed re-enqueues the accepted message instead of losing it', async () => {
    const failing = { enqueue: async () => Promise.reject(new Error('SQS down')) };
    const idempotency = { key: 'k2', requestHash: 'h' };
    await expect(
      sendMessage(
        { ...deps, sendQueue: failing },
        { accountId: 'acc1', to: '+40722123456', text: 'x', idempotency },
      ),
    ).rejects.toMatchObject({ name: 'NotQueued', cause: { message: 'SQS down' } });
    const retried = await sendMessage(deps, {
      accountId: 'acc1',
      to: '+40722123456',
      text: 'x',
      idempotency,
    });
    expect(retried.status).toBe('queued');
    expect(queue.jobs).toHaveLength(1);
    expect(store.accounts.get('acc1')?.balance).toBe(550);
  });

  describe('a parent-funded subuser', () => {
    beforeEach(() => {
      store.accounts.set('parent', testAccount({ id: 'parent', balance: 1000 }));
    });

    it('draws on its own transferred credit first', async () => {
      store.accounts.set('acc1', { ...account, parentId: 'parent', billing: 'parent', balance: 450 });
      const message = await sendMessage(deps, { accountId: 'acc1', to: '+40722123456', text: 'x' });
      expect(message.fundedBy).toBe('acc1');
      expect(store.accounts.get('acc1')?.balance).toBe(0);
      expect(store.accounts.get('parent')?.balance).toBe(1000);
    });

    it("then on its parent's balance", async () => {
      store.accounts.set('acc1', { ...account, parentId: 'parent', billing: 'parent', balance: 100 });
      const message = await sendMessage(deps, { accountId: 'acc1', to: '+40722123456', text: 'x' });
      expect(message.fundedBy).toBe('parent');
      expect(store.accounts.get('parent')).toMatchObject({ balance: 550, reserved: 450 });
      expect(store.accounts.get('acc1')?.balance).toBe(100);
    });

    it('a separately billed subuser never touches its parent', async () => {
      store.accounts.set('acc1', { ...account, parentId: 'parent', billing: 'separate', balance: 100 });
      await expect(
        sendMessage(deps, { accountId: 'acc1', to: '+40722123456', text: 'x' }),
      ).rejects.toMatchObject({
        code: 'INSUFFICIENT_CREDIT',
      });
      expect(store.accounts.get('parent')?.balance).toBe(1000);
    });
  });
});
