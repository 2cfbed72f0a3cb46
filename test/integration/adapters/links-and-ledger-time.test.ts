import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeDynamoAccountRepository } from '#adapters/dynamodb/account-repository';
import { ledgerKey, messageKey, shortLinkKey, unsubscribeLinkKey } from '#adapters/dynamodb/keys';
import { makeDynamoLinkRepository } from '#adapters/dynamodb/link-repository';
import { makeDynamoMessageRepository } from '#adapters/dynamodb/message-repository';
import { testAccount, testMessage } from '../../support/in-memory';
import { useOwnTable } from '../../support/own-table';

/** The DynamoDB side of two fixes: the links' attach, and the time of a finalize's ledger entry. */
const tableName = 'links-and-ledger-time';
const { client } = useOwnTable(tableName);

const item = async (Key: Record<string, string>) =>
  (await client.send(new GetCommand({ TableName: tableName, Key }))).Item;
const AT = '2026-11-24T10:00:00.000Z';

describe('attachMessage (DynamoDB)', () => {
  it('removes the TTL of existing links, twice without harm, and never recreates a vanished one', async () => {
    // Arrange
    const links = makeDynamoLinkRepository({ client, tableName });
    const link = { accountId: 'acc1', clicks: 0, createdAt: AT };
    await links.createShortLinks([{ ...link, code: 'Short001', url: 'https://a.example/x' }], 1_800_000_000);
    await links.createUnsubscribeLink(
      { ...link, code: 'Unsub00000000001', number: '+40722111222' },
      1_800_000_000,
    );
    const codes = { short: ['Short001', 'Gone0001'], unsubscribe: 'Unsub00000000001' };
    // Act: the API's attach, then the sender's repeat
    await links.attachMessage(codes, 'm1');
    await links.attachMessage(codes, 'm1');
    // Assert
    expect(await item(shortLinkKey('Short001'))).toMatchObject({
      messageId: 'm1',
      url: 'https://a.example/x',
    });
    expect((await item(shortLinkKey('Short001')))?.expiresAt).toBeUndefined();
    expect((await item(unsubscribeLinkKey('Unsub00000000001')))?.expiresAt).toBeUndefined();
    expect(await item(shortLinkKey('Gone0001'))).toBeUndefined();
  });
});

describe('finalize (DynamoDB)', () => {
  it('dates the ledger entry and settledAt by FinalizeMoney.at, whatever the carrier time of the event', async () => {
    // Arrange
    const accounts = makeDynamoAccountRepository({ client, tableName });
    const messages = makeDynamoMessageRepository({ client, tableName });
    await accounts.create(testAccount({ id: 'acc2', balance: 1_000 }), {
      keyId: 'acc2-key',
      accountId: 'acc2',
      secretHash: 'not-a-real-hash',
      status: 'active',
      createdAt: AT,
    });
    const message = testMessage({ id: 'm2', accountId: 'acc2', fundedBy: 'acc2', reference: 'acc2.m2' });
    const charge = {
      id: 'c2',
      accountId: 'acc2',
      amount: -450,
      reservedDelta: 450,
      kind: 'reserve' as const,
    };
    await messages.createWithCharge({
      message,
      charge: { ...charge, reason: 'SMS', by: 'acc2', ref: 'm2', at: AT },
    });
    const ours = '2026-11-24T10:00:07.000Z';
    const carrier = '2099-01-01T00:00:00.000Z';
    // Act
    const done = await messages.finalize(
      message,
      { status: 'delivered', at: carrier },
      { kind: 'settle', entryId: 'f2', reason: 'Settled: delivered', at: ours },
    );
    // Assert
    expect(done?.events.at(-1)).toEqual({ status: 'delivered', at: carrier });
    expect((await item(messageKey('acc2', 'm2')))?.settledAt).toBe(ours);
    const ledger = await accounts.ledger('acc2', { limit: 10 });
    expect(ledger.items.find((e) => e.kind === 'settle')).toMatchObject({ id: 'f2', at: ours });
    expect(await item(ledgerKey('acc2', ours, 'f2'))).toBeDefined();
  });
});
