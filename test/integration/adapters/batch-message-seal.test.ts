import { type DynamoDBDocumentClient, GetCommand } from '@aws-sdk/lib-dynamodb';
import { describe, expect, it } from 'vitest';
import { makeDynamoMessageRepository } from '#adapters/dynamodb/message-repository';
import type { Message } from '#domain/message/message';
import { useOwnTable } from '../../support/own-table';

/** The seal of a failed batch's unsent messages and the sender's claim: one conditional Put wins. */
const tableName = 'batch-message-seal';
const { client } = useOwnTable(tableName);

const AT = '2026-11-24T10:00:00.000Z';
function message(id: string, status: 'queued' | 'submitted' | 'cancelled'): Message {
  return {
    id,
    accountId: 'acc1',
    to: '+40722111222',
    from: 'Shop',
    text: 'Promo',
    encoding: 'GSM-7',
    parts: 1,
    cost: 450,
    pricePerPart: 450,
    currency: 'EUR',
    fundedBy: 'acc1',
    status,
    createdAt: AT,
    events:
      status === 'queued'
        ? [{ status, at: AT }]
        : [
            { status: 'queued', at: AT },
            { status, at: AT },
          ],
    reference: `acc1.${id}`,
    batchId: 'b1',
  };
}

describe('sealUnsent against createSubmitted (DynamoDB)', () => {
  it('seals only messages with no item, answers the claimed ones; a later claim finds the seal', async () => {
    // Arrange: R2 claimed by a sender first.
    const repo = makeDynamoMessageRepository({ client, tableName });
    expect(await repo.createSubmitted(message('b1R2', 'submitted'))).toEqual({ created: true });

    // Act
    const ids = Array.from({ length: 60 }, (_, i) => `b1R${i + 2}`);
    const claimed = await repo.sealUnsent(ids.map((id) => message(id, 'cancelled')));
    const late = await repo.createSubmitted(message('b1R3', 'submitted'));

    // Assert
    expect(claimed.map((m) => [m.id, m.status])).toEqual([['b1R2', 'submitted']]);
    expect(late).toMatchObject({ created: false, existing: { id: 'b1R3', status: 'cancelled' } });
    const all = await repo.getMany('acc1', ids, { consistent: true });
    expect(all.filter((m) => m.status === 'cancelled')).toHaveLength(59);
  });

  it('a claim given back after a throttle (queued) can be claimed again, or sealed; nothing else is given back', async () => {
    // Arrange: three claims, given back after a throttle; one more answered by its final status.
    const repo = makeDynamoMessageRepository({ client, tableName });
    for (const id of ['b2R2', 'b2R3', 'b2R4', 'b2R5']) await repo.createSubmitted(message(id, 'submitted'));
    for (const id of ['b2R2', 'b2R3', 'b2R4']) await repo.releaseSubmission(message(id, 'queued'));
    await repo.advance('acc1', 'b2R5', { status: 'delivered', at: AT });

    // Act
    const again = await repo.createSubmitted(message('b2R2', 'submitted'));
    const claimed = await repo.sealUnsent([message('b2R2', 'cancelled'), message('b2R3', 'cancelled')]);
    await repo.releaseSubmission(message('b2R5', 'queued'));
    await repo.releaseSubmission(message('b2R3', 'queued'));

    // Assert: R2 claimed again (and so not sealed), R3 sealed, R4 waits queued, R5 untouched
    expect(again).toEqual({ created: true });
    expect(claimed.map((m) => [m.id, m.status])).toEqual([['b2R2', 'submitted']]);
    const all = await repo.getMany('acc1', ['b2R2', 'b2R3', 'b2R4', 'b2R5'], { consistent: true });
    expect(Object.fromEntries(all.map((m) => [m.id, m.status]))).toEqual({
      b2R2: 'submitted',
      b2R3: 'cancelled',
      b2R4: 'queued',
      b2R5: 'delivered',
    });
    expect(all.find((m) => m.id === 'b2R4')?.events).toEqual([{ status: 'queued', at: AT }]);
    expect(await repo.createSubmitted(message('b2R3', 'submitted'))).toMatchObject({
      created: false,
      existing: { status: 'cancelled' },
    });
  });

  it('a seal that finds the claim given back again between its Put and its read-back seals it after all', async () => {
    // Arrange: R2 claimed; the seal's read-back of R2 is preceded by the sender giving the claim back.
    const repo = makeDynamoMessageRepository({ client, tableName });
    await repo.createSubmitted(message('b3R2', 'submitted'));
    let giveBack = true;
    const racing = new Proxy(client, {
      get(target, name) {
        if (name !== 'send') return Reflect.get(target, name);
        return async (command: Parameters<DynamoDBDocumentClient['send']>[0]) => {
          if (giveBack && command instanceof GetCommand) {
            giveBack = false;
            await repo.releaseSubmission(message('b3R2', 'queued'));
          }
          return target.send(command);
        };
      },
    });

    // Act
    const sealing = makeDynamoMessageRepository({ client: racing, tableName });
    const claimed = await sealing.sealUnsent([message('b3R2', 'cancelled')]);

    // Assert: never answered as `queued` (the sweep would not know whether to charge it): sealed
    expect(giveBack).toBe(false);
    expect(claimed).toEqual([]);
    expect(await repo.get('acc1', 'b3R2')).toMatchObject({ status: 'cancelled' });
  });
});
