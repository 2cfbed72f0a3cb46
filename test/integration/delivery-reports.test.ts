import { describe, expect, it } from 'vitest';
import { call, eventually, mobile, newAccount, simMessages, stack } from '../support/api';

interface MessageBody {
  id: string;
  status: string;
  events: { status: string; at: string }[];
}

async function sendOne(key: string, to: string, text = 'DLR test') {
  const sent = await call<MessageBody>('POST', '/v1/messages', { key, body: { to, text } });
  expect(sent.status).toBe(202);
  return sent.body.id;
}

async function statusOf(key: string, id: string, expected: string) {
  return eventually(
    () => call<MessageBody>('GET', `/v1/messages/${id}`, { key }),
    (r) => r.body.status === expected,
  );
}

async function sim(path: string, body: unknown) {
  const response = await fetch(`${stack().carrierUrl}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.ok).toBe(true);
}

async function dlrsFor(carrierId: string) {
  const response = await fetch(`${stack().carrierUrl}/_sim/dlrs`);
  const all = (await response.json()) as { carrierId: string; stat: string; status?: number }[];
  return all.filter((d) => d.carrierId === carrierId);
}

describe('delivery reports are monotonic, idempotent and authenticated', () => {
  it('a duplicate DLR changes nothing', async () => {
    const account = await newAccount('1.0000');
    const to = mobile('21');
    const id = await sendOne(account.apiKey, to);
    const delivered = await statusOf(account.apiKey, id, 'delivered');
    const [atCarrier] = (await simMessages()).filter((m) => m.to === to);

    await sim('/_sim/dlr', { carrierId: atCarrier?.carrierId, stat: 'DELIVRD' });
    await eventually(
      () => dlrsFor(atCarrier?.carrierId ?? ''),
      (d) => d.length === 2 && d.every((x) => x.status === 202),
    );

    const after = await call<MessageBody>('GET', `/v1/messages/${id}`, { key: account.apiKey });
    expect(after.body.events).toEqual(delivered.body.events);
  });

  it('an ENROUTE after DELIVRD (out of order) does not move the message back', async () => {
    const account = await newAccount('1.0000');
    const to = mobile('22');
    const id = await sendOne(account.apiKey, to);
    const delivered = await statusOf(account.apiKey, id, 'delivered');
    const [atCarrier] = (await simMessages()).filter((m) => m.to === to);

    await sim('/_sim/dlr', { carrierId: atCarrier?.carrierId, stat: 'ENROUTE' });
    await sim('/_sim/dlr', { carrierId: atCarrier?.carrierId, stat: 'UNDELIV' });
    await eventually(
      () => dlrsFor(atCarrier?.carrierId ?? ''),
      (d) => d.length === 3 && d.every((x) => x.status === 202),
    );

    const after = await call<MessageBody>('GET', `/v1/messages/${id}`, { key: account.apiKey });
    expect(after.body.status).toBe('delivered');
    expect(after.body.events).toEqual(delivered.body.events);
  });

  it('a forged DLR (bad signature) is refused with 401 and changes nothing', async () => {
    const account = await newAccount('1.0000');
    const to = mobile('23');
    const id = await sendOne(account.apiKey, to);
    const body = JSON.stringify({
      reference: `${account.id}.${id}`,
      carrierId: 'forged-1',
      part: 0,
      parts: 1,
      stat: 'UNDELIV',
      err: '001',
      submitDate: '2611241200',
      doneDate: '2611241200',
      receipt:
        'id:forged-1 sub:001 dlvrd:000 submit date:2611241200 done date:2611241200 stat:UNDELIV err:001 text:',
    });
    const timestamp = String(Math.floor(Date.now() / 1000));
    const forged = await fetch(`${stack().apiUrl}/v1/webhooks/carrier/sim/dlr`, {
      method: 'POST',
      headers: {
        'content-type': 'application/json',
        'x-sim-timestamp': timestamp,
        'x-sim-signature': `v1=${'0'.repeat(64)}`,
      },
      body,
    });
    expect(forged.status).toBe(401);
    // Had the forged UNDELIV been applied (it arrived before the real report), the message would end undelivered.
    const done = await statusOf(account.apiKey, id, 'delivered');
    expect(done.body.events.map((e) => e.status)).not.toContain('undelivered');
  });
});

describe('a redelivered queue message never sends a second SMS', () => {
  it('the carrier accepted but the sender never heard back: SQS redelivers, the carrier still has it once', async () => {
    // Arrange: the next submission is accepted by the carrier, but its answer is lost (the consumer fails).
    const account = await newAccount('1.0000');
    const to = mobile('31');
    await sim('/_sim/faults', { dropResponses: 1 });

    // Act
    const id = await sendOne(account.apiKey, to, 'Crash after accept');

    // Assert: delivered, exactly one submission at the carrier, the consumer did retry.
    const done = await statusOf(account.apiKey, id, 'delivered');
    expect((await simMessages()).filter((m) => m.to === to)).toHaveLength(1);
    expect(done.body.events.filter((e) => e.status === 'delivered')).toHaveLength(1);
    const balance = await call<{ balance: string }>('GET', '/v1/account', { key: account.apiKey });
    expect(balance.body.balance).toBe('0.9550');
  });
});
