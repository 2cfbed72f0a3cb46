import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages } from '../support/api';
import { batchUntil, readyBatch } from '../support/batches';

/**
 * `GET /v1/messages/{id}` for a batch message before its item exists (it is written only when the
 * sender submits it): answered from the batch's ready chunk as `queued`, then its real status once
 * sent; `cancelled` when the batch is stopped before its turn; not found for a row that was invalid.
 */
interface MessageBody {
  id: string;
  status: string;
  to: string;
  text: string;
  cost: string;
  events: { status: string }[];
}

function tag() {
  return Math.random().toString(36).slice(2, 8);
}

describe('a batch message can be looked up before it is sent', () => {
  it('answers queued with its text and cost, then its real status once sent; an invalid row is not found', async () => {
    // Arrange: rows 2..6 valid, row 7 invalid, at 1 message per second.
    const account = await newAccount('10.0000');
    const t = tag();
    const numbers = Array.from({ length: 5 }, () => mobile());
    const csv = `Phone,Text\n${numbers.map((n, i) => `${n},Lookup ${t} ${i}`).join('\n')}\n0721,Bad ${t}\n`;
    const batch = await readyBatch(account.apiKey, csv, { messageColumn: 'B', speed: 1 });
    expect(batch.status).toBe('ready');
    const lastId = `${batch.id}R6`;

    // Act
    const started = await call('POST', `/v1/batches/${batch.id}/start`, { key: account.apiKey });
    const early = await call<MessageBody>('GET', `/v1/messages/${lastId}`, { key: account.apiKey });
    const invalid = await call('GET', `/v1/messages/${batch.id}R7`, { key: account.apiKey });

    // Assert: not yet at the carrier, answered as planned
    expect(started.status).toBe(200);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({
      id: lastId,
      status: 'queued',
      to: numbers[4],
      text: `Lookup ${t} 4`,
      cost: '0.0450',
    });
    const atCarrier = (await simMessages()).filter((m) => m.to === numbers[4] && m.text === `Lookup ${t} 4`);
    expect(atCarrier).toHaveLength(0);
    expect(invalid.status).toBe(404);
    const other = await newAccount('0');
    expect((await call('GET', `/v1/messages/${lastId}`, { key: other.apiKey })).status).toBe(404);

    // Once sent, its own item answers
    await eventually(
      () => simMessages(),
      (all) => all.some((m) => m.to === numbers[4] && m.text === `Lookup ${t} 4`),
      { timeoutMs: 30_000, intervalMs: 200 },
    );
    const sent = await eventually(
      () => call<MessageBody>('GET', `/v1/messages/${lastId}`, { key: account.apiKey }),
      (r) => r.body.status === 'delivered',
      { timeoutMs: 15_000, intervalMs: 200 },
    );
    expect(sent.body.events.map((e) => e.status)).toEqual(['queued', 'submitted', 'delivered']);
  });

  it('a message the stopped batch never sent answers cancelled', async () => {
    // Arrange: 20 messages at 1 per second, stopped after the first arrives.
    const account = await newAccount('10.0000');
    const t = tag();
    const numbers = Array.from({ length: 20 }, () => mobile());
    const csv = `Phone,Text\n${numbers.map((n, i) => `${n},Stop ${t} ${i}`).join('\n')}\n`;
    const batch = await readyBatch(account.apiKey, csv, { messageColumn: 'B', speed: 1 });
    await call('POST', `/v1/batches/${batch.id}/start`, { key: account.apiKey });
    await eventually(
      () => simMessages(),
      (all) => all.some((m) => m.to === numbers[0] && m.text === `Stop ${t} 0`),
      { timeoutMs: 30_000, intervalMs: 200 },
    );

    // Act
    expect((await call('POST', `/v1/batches/${batch.id}/stop`, { key: account.apiKey })).status).toBe(200);
    await batchUntil(account.apiKey, batch.id, (b) => b.status === 'stopped');
    const last = await call<MessageBody>('GET', `/v1/messages/${batch.id}R21`, { key: account.apiKey });

    // Assert
    expect(last.status).toBe(200);
    expect(last.body).toMatchObject({ status: 'cancelled', to: numbers[19], text: `Stop ${t} 19` });
    expect(last.body.events.map((e) => e.status)).toEqual(['queued', 'cancelled']);
  });
});
