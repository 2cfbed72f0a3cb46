import { type ChildProcess, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CarrierUnavailable, makeCarrierSimGateway } from '#adapters/carrier-sim/carrier-sim-gateway';
import {
  parseCarrierSimDeliveryReport,
  parseCarrierSimDeliveryReports,
  parseCarrierSimMo,
} from '#adapters/carrier-sim/delivery-report';
import { verifyWebhook } from '#adapters/carrier-sim/webhook-signature';
import type { CarrierGateway, CarrierSubmission, DeliveryReport } from '#ports/carrier-gateway';

const repoRoot = fileURLToPath(new URL('../..', import.meta.url));
const API_KEY = 'sim-test-key';
const SECRET = 'sim-test-webhook-secret';

interface Received {
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly rawBody: string;
}

/** The platform's side, as small as possible: records every webhook, can fail some on purpose. */
async function startReceiver() {
  const received: Received[] = [];
  /** References whose next DLR POSTs get a 503 (to see the carrier retry). */
  const failNext = new Map<string, number>();
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/hang')) return; // never answers: a carrier that hangs
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const rawBody = Buffer.concat(chunks).toString('utf8');
      received.push({ path: req.url ?? '', headers: req.headers, rawBody });
      const reference = (JSON.parse(rawBody) as { reference?: string }).reference ?? '';
      const failures = failNext.get(reference) ?? 0;
      if (failures > 0) failNext.set(reference, failures - 1);
      res.writeHead(failures > 0 ? 503 : 204).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const close = () => {
    server.closeAllConnections();
    return new Promise<void>((resolve) => server.close(() => resolve()));
  };
  return { url, received, failNext, close };
}

/** Spawns the simulator exactly as the local stack does, and waits for its `LISTENING <url>` line. */
async function spawnSimulator(env: Record<string, string>): Promise<{ child: ChildProcess; url: string }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'local/carrier-simulator/main.ts'], {
    cwd: repoRoot,
    env: { ...process.env, SIM_PORT: '0', SIM_API_KEY: API_KEY, SIM_WEBHOOK_SECRET: SECRET, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr += chunk.toString();
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(
      () => reject(new Error(`simulator not listening after 20 s: ${stderr}`)),
      20_000,
    );
    child.stdout?.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const line = /^LISTENING (\S+)\n/m.exec(stdout);
      if (line?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(line[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`simulator exited with ${code}: ${stderr}`));
    });
  });
  return { child, url };
}

function exited(child: ChildProcess): Promise<{ code: number | null; signal: string | null }> {
  if (child.exitCode !== null || child.signalCode !== null) {
    return Promise.resolve({ code: child.exitCode, signal: child.signalCode });
  }
  return new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
}

/** Polls until `probe` returns something other than undefined, or fails at the deadline. */
async function waitFor<T>(probe: () => T | undefined | Promise<T | undefined>, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const getJson = async <T>(url: string): Promise<T> => (await fetch(url)).json() as Promise<T>;
const postJson = (url: string, body: unknown) =>
  fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });

interface ListedMessage {
  carrierId: string;
  carrierIds: string[];
  to: string;
  text: string;
  parts: number;
  encoding: string;
  receivedAt: string;
  reference: string;
  status?: string;
}

let receiver: Awaited<ReturnType<typeof startReceiver>>;
let sim: { child: ChildProcess; url: string };
let gateway: CarrierGateway;

function submission(to: string, overrides: Partial<CarrierSubmission> = {}): CarrierSubmission {
  return {
    reference: `acc.${randomUUID()}`,
    to,
    from: 'ACME',
    text: 'Hello from the test',
    encoding: 'GSM-7',
    parts: 1,
    ...overrides,
  };
}

function webhooksFor(path: string, reference: string): Received[] {
  return receiver.received.filter((r) => r.path === path && r.rawBody.includes(`"reference":"${reference}"`));
}

/** The verified, parsed DLRs received for `reference`, once there are `count` of them. */
async function dlrsFor(reference: string, count: number): Promise<DeliveryReport[]> {
  const received = await waitFor(() => {
    const found = webhooksFor('/dlr', reference);
    return found.length >= count ? found : undefined;
  });
  for (const webhook of received) {
    const valid = verifyWebhook({
      secret: SECRET,
      timestamp: webhook.headers['x-sim-timestamp'] as string | undefined,
      signature: webhook.headers['x-sim-signature'] as string | undefined,
      rawBody: webhook.rawBody,
      nowSeconds: Date.now() / 1000,
    });
    expect(valid, 'DLR signature').toBe(true);
  }
  return received.map((webhook) => parseCarrierSimDeliveryReport(webhook.rawBody));
}

/** Absence of a webhook: a later submission's DLR has arrived, so any DLR for `reference` would have too. */
async function settle(): Promise<void> {
  const control = submission('+40722123411');
  await gateway.submit(control);
  await dlrsFor(control.reference, 1);
}

const messages = () => getJson<ListedMessage[]>(`${sim.url}/_sim/messages`);

beforeAll(async () => {
  receiver = await startReceiver();
  sim = await spawnSimulator({
    SIM_DLR_URL: `${receiver.url}/dlr`,
    SIM_MO_URL: `${receiver.url}/mo`,
    SIM_RATE_PER_SECOND: '1000',
    SIM_DLR_MIN_DELAY_MS: '10',
    SIM_DLR_MAX_DELAY_MS: '50',
    SIM_WEBHOOK_RETRY_BASE_MS: '50',
    // One DLR per POST here (each test looks at its own reports); batching has its own test below.
    SIM_DLR_BATCH_MS: '0',
  });
  gateway = makeCarrierSimGateway({ baseUrl: sim.url, apiKey: API_KEY, timeoutMs: 2000 });
});

afterAll(async () => {
  sim?.child.kill('SIGTERM');
  if (sim) await exited(sim.child);
  await receiver?.close();
});

describe('carrier simulator (spawned process) through the sim gateway', () => {
  it.each([
    ['+40722123401', 'DELIVRD', undefined],
    ['+40722123400', 'UNDELIV', '001'],
    ['+40722123498', 'EXPIRED', '001'],
  ])('%s: accepted, then one signed DLR %s', async (to, state, error) => {
    // Arrange
    const sms = submission(to, { text: 'Hello there, this is a longer text' });

    // Act
    const result = await gateway.submit(sms);

    // Assert
    expect(result.outcome).toBe('accepted');
    const carrierIds = result.outcome === 'accepted' ? result.carrierIds : [];
    expect(carrierIds).toHaveLength(1);
    const [report] = await dlrsFor(sms.reference, 1);
    expect(report).toMatchObject({
      reference: sms.reference,
      carrierId: carrierIds[0],
      part: 0,
      parts: 1,
      state,
    });
    expect(report?.error).toBe(error);
    const raw = JSON.parse(webhooksFor('/dlr', sms.reference)[0]?.rawBody ?? '{}') as { receipt: string };
    expect(raw.receipt).toMatch(
      new RegExp(
        `^id:${carrierIds[0]} sub:001 dlvrd:00${state === 'DELIVRD' ? 1 : 0} submit date:\\d{10} done date:\\d{10} ` +
          `stat:${state} err:\\d{3} text:Hello there, this is$`,
      ),
    );
    const listed = await waitFor(async () =>
      (await messages()).find((m) => m.reference === sms.reference && m.status === state),
    );
    expect(listed).toMatchObject({ carrierId: carrierIds[0], to, from: 'ACME', parts: 1, encoding: 'GSM-7' });
    expect(listed.receivedAt).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$/);
  });

  it('gives opaque mixed-case ids, stored exactly', async () => {
    const result = await gateway.submit(submission('+40722123402'));
    const [id] = result.outcome === 'accepted' ? result.carrierIds : [];
    expect(id).toMatch(/[a-f]/);
    expect(id).toMatch(/[A-F]/);
  });

  it('rejects a 99 number at submission, lists it as REJECTD and sends no DLR', async () => {
    // Arrange
    const sms = submission('+40722123499');

    // Act
    const result = await gateway.submit(sms);
    await settle();

    // Assert
    expect(result).toEqual({ outcome: 'rejected', reason: 'rejected by network' });
    expect((await messages()).filter((m) => m.reference === sms.reference)).toMatchObject([
      { status: 'REJECTD' },
    ]);
    expect(webhooksFor('/dlr', sms.reference)).toEqual([]);
  });

  it('is idempotent on reference: same ids, one listed message, one set of DLRs', async () => {
    // Arrange
    const sms = submission('+40722123403');

    // Act
    const first = await gateway.submit(sms);
    await dlrsFor(sms.reference, 1);
    const second = await gateway.submit(sms);
    await settle();

    // Assert
    expect(second).toEqual(first);
    expect((await messages()).filter((m) => m.reference === sms.reference)).toHaveLength(1);
    expect(webhooksFor('/dlr', sms.reference)).toHaveLength(1);
  });

  it('counts its own parts: a 3-part message has 3 ids and 3 DLRs, one per part', async () => {
    // Arrange: 400 GSM-7 characters = 3 parts of at most 153 septets
    const sms = submission('+40722123404', { text: 'x'.repeat(400), parts: 3 });

    // Act
    const result = await gateway.submit(sms);

    // Assert
    const carrierIds = result.outcome === 'accepted' ? result.carrierIds : [];
    expect(new Set(carrierIds).size).toBe(3);
    const reports = (await dlrsFor(sms.reference, 3)).sort((a, b) => a.part - b.part);
    expect(reports.map((r) => [r.part, r.parts, r.carrierId, r.state])).toEqual(
      carrierIds.map((id, part) => [part, 3, id, 'DELIVRD']),
    );
    const listed = (await messages()).find((m) => m.reference === sms.reference);
    expect(listed).toMatchObject({ carrierId: carrierIds[0], carrierIds, parts: 3, encoding: 'GSM-7' });
  });

  it('counts UCS-2 parts: 100 Romanian characters are 2 parts', async () => {
    const sms = submission('+40722123405', { text: 'ș'.repeat(100), encoding: 'UCS-2', parts: 2 });
    const result = await gateway.submit(sms);
    expect(result.outcome === 'accepted' && result.carrierIds).toHaveLength(2);
    expect((await messages()).find((m) => m.reference === sms.reference)).toMatchObject({
      parts: 2,
      encoding: 'UCS-2',
    });
  });

  it('dropResponses: the gateway throws, but the carrier took it; the retry gets the same ids', async () => {
    // Arrange
    await postJson(`${sim.url}/_sim/faults`, { dropResponses: 1 });
    const sms = submission('+40722123406');

    // Act
    const lost = gateway.submit(sms);

    // Assert
    await expect(lost).rejects.toBeInstanceOf(CarrierUnavailable);
    const listed = (await messages()).find((m) => m.reference === sms.reference);
    expect(listed).toBeDefined();
    expect(await gateway.submit(sms)).toEqual({ outcome: 'accepted', carrierIds: listed?.carrierIds });
    expect(await dlrsFor(sms.reference, 1)).toHaveLength(1);
  });

  it('failWith500: the gateway throws and nothing is recorded', async () => {
    await postJson(`${sim.url}/_sim/faults`, { failWith500: 1 });
    const sms = submission('+40722123407');
    await expect(gateway.submit(sms)).rejects.toBeInstanceOf(CarrierUnavailable);
    expect((await messages()).some((m) => m.reference === sms.reference)).toBe(false);
    expect((await gateway.submit(sms)).outcome).toBe('accepted');
  });

  it('retries a DLR the platform refused, re-signed, until it is taken', async () => {
    // Arrange
    const sms = submission('+40722123408');
    receiver.failNext.set(sms.reference, 2);

    // Act
    await gateway.submit(sms);

    // Assert
    const reports = await dlrsFor(sms.reference, 3);
    expect(new Set(reports.map((r) => r.carrierId)).size).toBe(1);
    type Log = { reference: string; attempts: number; status: number; delivered: boolean };
    const log = await waitFor(async () =>
      (await getJson<Log[]>(`${sim.url}/_sim/dlrs`)).find(
        (d) => d.reference === sms.reference && d.delivered,
      ),
    );
    expect(log).toMatchObject({ attempts: 3, status: 204 });
  });

  it('sends an injected DLR on demand (duplicate, ENROUTE after DELIVRD)', async () => {
    // Arrange
    const sms = submission('+40722123409');
    const result = await gateway.submit(sms);
    const carrierId = result.outcome === 'accepted' ? result.carrierIds[0] : undefined;
    await dlrsFor(sms.reference, 1);

    // Act
    const injected = await postJson(`${sim.url}/_sim/dlr`, { carrierId, stat: 'ENROUTE' });
    const unknown = await postJson(`${sim.url}/_sim/dlr`, {
      carrierId: carrierId?.toUpperCase(),
      stat: 'DELIVRD',
    });

    // Assert
    expect(injected.status).toBe(202);
    expect(unknown.status).toBe(404);
    const reports = await dlrsFor(sms.reference, 2);
    expect(reports.map((r) => [r.carrierId, r.state])).toEqual([
      [carrierId, 'DELIVRD'],
      [carrierId, 'ENROUTE'],
    ]);
  });

  it('posts a signed MO', async () => {
    // Act
    const answer = await postJson(`${sim.url}/_sim/mo`, { from: '+40722123410', to: '1234', text: 'STOP' });

    // Assert
    expect(answer.status).toBe(202);
    const { carrierId } = (await answer.json()) as { carrierId: string };
    const webhook = await waitFor(() =>
      receiver.received.find((r) => r.path === '/mo' && r.rawBody.includes(carrierId)),
    );
    const valid = verifyWebhook({
      secret: SECRET,
      timestamp: webhook.headers['x-sim-timestamp'] as string,
      signature: webhook.headers['x-sim-signature'] as string,
      rawBody: webhook.rawBody,
      nowSeconds: Date.now() / 1000,
    });
    expect(valid).toBe(true);
    expect(parseCarrierSimMo(webhook.rawBody)).toMatchObject({
      carrierId,
      from: '+40722123410',
      to: '1234',
      text: 'STOP',
    });
  });

  it('refuses a wrong API key (401) and a bad body (400)', async () => {
    const wrongKey = makeCarrierSimGateway({ baseUrl: sim.url, apiKey: 'nope' });
    await expect(wrongKey.submit(submission('+40722123412'))).rejects.toBeInstanceOf(CarrierUnavailable);
    const bad = await fetch(`${sim.url}/sms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: JSON.stringify({ reference: 'r', to: 'not a number', from: 'ACME', text: 'hi' }),
    });
    expect(bad.status).toBe(400);
    const notJson = await fetch(`${sim.url}/sms`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}` },
      body: '{',
    });
    expect(notJson.status).toBe(400);
  });

  it('DELETE /_sim/messages clears the list but not the idempotency memory', async () => {
    const sms = submission('+40722123413');
    const first = await gateway.submit(sms);
    expect((await fetch(`${sim.url}/_sim/messages`, { method: 'DELETE' })).status).toBe(204);
    expect(await messages()).toEqual([]);
    expect(await gateway.submit(sms)).toEqual(first);
    expect(await messages()).toEqual([]);
  });

  it('the gateway throws CarrierUnavailable when the carrier does not answer in time', async () => {
    const hanging = makeCarrierSimGateway({
      baseUrl: `${receiver.url}/hang`,
      apiKey: API_KEY,
      timeoutMs: 100,
    });
    await expect(hanging.submit(submission('+40722123414'))).rejects.toBeInstanceOf(CarrierUnavailable);
  });
});

describe('carrier simulator throttling and shutdown', () => {
  it('answers 429 with Retry-After past its rate, records nothing, then takes the retry; exits on SIGTERM', async () => {
    // Arrange: 2 parts per second, DLRs far in the future (pending timers at shutdown)
    const slow = await spawnSimulator({
      SIM_DLR_URL: `${receiver.url}/dlr`,
      SIM_RATE_PER_SECOND: '2',
      SIM_DLR_MIN_DELAY_MS: '60000',
      SIM_DLR_MAX_DELAY_MS: '60000',
    });
    const slowGateway = makeCarrierSimGateway({ baseUrl: slow.url, apiKey: API_KEY });
    const throttledSms = submission('+40722123415');

    try {
      // Act
      const first = await slowGateway.submit(submission('+40722123416'));
      const second = await slowGateway.submit(submission('+40722123417'));
      const third = await slowGateway.submit(throttledSms);

      // Assert
      expect([first.outcome, second.outcome]).toEqual(['accepted', 'accepted']);
      expect(third.outcome).toBe('throttled');
      const retryAfter = third.outcome === 'throttled' ? third.retryAfterSeconds : 0;
      expect(Number.isInteger(retryAfter) && retryAfter >= 1).toBe(true);
      const listed = await getJson<ListedMessage[]>(`${slow.url}/_sim/messages`);
      expect(listed.map((m) => m.reference)).not.toContain(throttledSms.reference);
      expect(listed).toHaveLength(2);
      const retried = await waitFor(async () => {
        const result = await slowGateway.submit(throttledSms);
        return result.outcome === 'accepted' ? result : undefined;
      }, 3000);
      expect(retried.carrierIds).toHaveLength(1);
    } finally {
      // Act: shut down with DLRs still pending
      const started = Date.now();
      slow.child.kill('SIGTERM');
      const exit = await exited(slow.child);

      // Assert
      expect(exit).toEqual({ code: 0, signal: null });
      expect(Date.now() - started).toBeLessThan(1000);
    }
  });
});

describe('carrier simulator batched DLRs', () => {
  it('posts the reports that came due within SIM_DLR_BATCH_MS as signed arrays of at most SIM_DLR_BATCH_MAX', async () => {
    // Arrange: DLRs collected for 300 ms, at most 8 per POST.
    const batching = await spawnSimulator({
      SIM_DLR_URL: `${receiver.url}/dlr-batch`,
      SIM_RATE_PER_SECOND: '1000',
      SIM_DLR_MIN_DELAY_MS: '10',
      SIM_DLR_MAX_DELAY_MS: '50',
      SIM_DLR_BATCH_MS: '300',
      SIM_DLR_BATCH_MAX: '8',
    });
    const batchGateway = makeCarrierSimGateway({ baseUrl: batching.url, apiKey: API_KEY });
    const sent = Array.from({ length: 20 }, (_, i) => submission(`+407221234${String(20 + i)}`));

    try {
      // Act
      await Promise.all(sent.map((sms) => batchGateway.submit(sms)));

      // Assert: every report arrives once, in arrays of ≤ 8, far fewer POSTs than reports.
      const posts = await waitFor(() => {
        const got = receiver.received.filter((r) => r.path === '/dlr-batch');
        const reports = got.flatMap((r) => parseCarrierSimDeliveryReports(r.rawBody));
        return reports.length >= sent.length ? got : undefined;
      });
      const reports = posts.flatMap((webhook) => {
        expect(
          verifyWebhook({
            secret: SECRET,
            timestamp: webhook.headers['x-sim-timestamp'] as string,
            signature: webhook.headers['x-sim-signature'] as string,
            rawBody: webhook.rawBody,
            nowSeconds: Date.now() / 1000,
          }),
        ).toBe(true);
        const body = JSON.parse(webhook.rawBody) as unknown[];
        expect(Array.isArray(body)).toBe(true);
        expect(body.length).toBeLessThanOrEqual(8);
        return parseCarrierSimDeliveryReports(webhook.rawBody);
      });
      expect(reports.map((r) => r.reference).sort()).toEqual(sent.map((s) => s.reference).sort());
      expect(posts.length).toBeGreaterThanOrEqual(3);
      expect(posts.length).toBeLessThan(sent.length);
    } finally {
      batching.child.kill('SIGTERM');
      await exited(batching.child);
    }
  });
});
