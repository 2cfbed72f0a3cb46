import { beforeEach, describe, expect, it } from 'vitest';
import type { LinkCodes, ShortLink, UnsubscribeLink } from '#domain/links/links';
import { DEFAULT_PRICE_LIST } from '#domain/pricing/default-price-list';
import type { ActionContext } from '#http/sendsms/context';
import { messageSend } from '#http/sendsms/message-actions';
import type { LinkRepository } from '#ports/link-repository';
import { fixedPriceList } from '#ports/price-lists';
import { submitMessage } from '#use-cases/submit-message';
import {
  fixedClock,
  InMemoryStore,
  RecordingQueue,
  ScriptedCarrier,
  sequentialIds,
  testAccount,
} from '../../../support/in-memory';

/** Link items by code, as the table holds them; `attachMessage` fails while `failures` lasts. */
class MemoryLinks
  implements Pick<LinkRepository, 'createShortLinks' | 'createUnsubscribeLink' | 'attachMessage'>
{
  readonly items = new Map<string, { messageId?: string; expiresAt?: number }>();
  failures = 0;
  attachCalls = 0;
  async createShortLinks(links: readonly ShortLink[], expiresAt: number) {
    for (const link of links) this.items.set(link.code, { expiresAt });
  }
  async createUnsubscribeLink(link: UnsubscribeLink, expiresAt: number) {
    this.items.set(link.code, { expiresAt });
  }
  async attachMessage(codes: LinkCodes, messageId: string) {
    this.attachCalls++;
    if (this.failures > 0) {
      this.failures--;
      throw new Error('DynamoDB unavailable');
    }
    for (const code of [...codes.short, ...(codes.unsubscribe ? [codes.unsubscribe] : [])]) {
      if (this.items.has(code)) this.items.set(code, { messageId });
    }
  }
}

describe('message_send with links when attaching them fails', () => {
  let store: InMemoryStore;
  let links: MemoryLinks;
  let queue: RecordingQueue;
  const account = testAccount({ balance: 10_000 });

  beforeEach(() => {
    store = new InMemoryStore();
    store.accounts.set(account.id, account);
    links = new MemoryLinks();
    queue = new RecordingQueue();
  });

  const send = (gdpr: boolean, params: Record<string, string>) =>
    messageSend({ gdpr })({
      deps: {
        accounts: store.accountRepo,
        messages: store.messageRepo,
        blocklist: store.blocklistRepo,
        sendQueue: queue,
        prices: fixedPriceList(DEFAULT_PRICE_LIST),
        clock: fixedClock(),
        ids: sequentialIds(),
        links,
      },
      caller: { accountId: account.id, keyId: 'k1', account },
      params,
      files: {},
      baseUrl: 'https://api.example',
    } as unknown as ActionContext);
  const sender = (carrier: ScriptedCarrier) => ({
    messages: store.messageRepo,
    carrier,
    clock: fixedClock(),
    ids: sequentialIds(),
    links,
  });
  const pending = () => [...links.items.values()].filter((item) => item.expiresAt !== undefined);

  it('answers success with the message id, and the sender makes the links permanent before sending', async () => {
    // Arrange: every attach attempt of the API fails
    links.failures = Number.POSITIVE_INFINITY;
    // Act
    const answer = await send(true, {
      to: '0722123456',
      text: 'Oferta: https://shop.example/x',
      short: 'true',
    });
    // Assert: accepted, charged once, answered with its id
    expect(answer).toMatchObject({ status: 1, details: expect.any(String) });
    const messageId = String(answer.details);
    expect(queue.jobs).toEqual([{ accountId: account.id, messageId }]);
    expect(links.attachCalls).toBe(2);
    expect(pending()).toHaveLength(2);
    const stored = store.messages.get(`${account.id}/${messageId}`);
    expect(stored?.links?.short).toHaveLength(1);
    expect(stored?.links?.unsubscribe).toEqual(expect.any(String));

    // Act: the durable path, once the table answers again
    links.failures = 0;
    const carrier = new ScriptedCarrier(true);
    expect(await submitMessage(sender(carrier), { accountId: account.id, messageId })).toBe('submitted');
    // Assert: no link expires, each names its message; one SMS went out
    expect([...links.items.values()]).toEqual([{ messageId }, { messageId }]);
    expect(carrier.submissions).toHaveLength(1);
  });

  it('a passing failure is retried in place: the links are permanent when the answer leaves', async () => {
    links.failures = 1;
    const answer = await send(false, {
      to: '0722123457',
      text: 'Factura: {short}',
      short: 'https://a.example/f',
    });
    expect(answer.status).toBe(1);
    expect(links.attachCalls).toBe(2);
    expect([...links.items.values()]).toEqual([{ messageId: answer.details }]);
  });

  it('the sender does not submit until the links are attached, and then submits once', async () => {
    links.failures = Number.POSITIVE_INFINITY;
    const answer = await send(true, { to: '0722123458', text: 'Promo' });
    const job = { accountId: account.id, messageId: String(answer.details) };
    const carrier = new ScriptedCarrier(false);
    // Act: the table still fails for the sender's first attempt
    await expect(submitMessage(sender(carrier), job)).rejects.toThrow('DynamoDB unavailable');
    expect(carrier.submissions).toHaveLength(0);
    expect(pending()).toHaveLength(1);
    // The claim was given back, so the retry is a normal first submission (not "unconfirmed")
    links.failures = 0;
    expect(await submitMessage(sender(carrier), job)).toBe('submitted');
    expect(carrier.submissions).toHaveLength(1);
    expect(pending()).toHaveLength(0);
  });
});
