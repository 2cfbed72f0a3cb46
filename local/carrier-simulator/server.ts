import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { z } from 'zod';
import { makeCarrier } from './carrier';
import { BadRequestBody, readJson, send } from './http-io';

export interface CarrierSimulatorConfig {
  /** 0 = a free port. @default 0 */
  readonly port?: number;
  /** @default '127.0.0.1' */
  readonly host?: string;
  /** Expected as `Authorization: Bearer <apiKey>` on `POST /sms`. */
  readonly apiKey: string;
  /** HMAC key of the `X-Sim-Signature` header on DLR and MO webhooks. */
  readonly webhookSecret: string;
  /** The platform's DLR webhook; without it DLRs are listed in `/_sim/dlrs` but not posted. */
  readonly dlrUrl?: string;
  /** The platform's MO webhook; without it `POST /_sim/mo` answers 503. */
  readonly moUrl?: string;
  /** Throughput in parts per second (burst = rate); 0 = unlimited. @default 50 */
  readonly ratePerSecond?: number;
  /** @default 100 */
  readonly dlrMinDelayMs?: number;
  /** @default 1500 */
  readonly dlrMaxDelayMs?: number;
  /** First webhook retry delay, doubling after each failure. @default 500 */
  readonly webhookRetryBaseMs?: number;
  /** POSTs per webhook, the first included. @default 5 */
  readonly webhookMaxAttempts?: number;
  /** DLRs collected this long are posted as one array; 0 = one object per POST. @default 200 */
  readonly dlrBatchMs?: number;
  /** Most DLRs per POST. @default 500 */
  readonly dlrBatchMax?: number;
}

export interface CarrierSimulator {
  readonly url: string;
  readonly port: number;
  /** Stops listening, drops open connections and cancels every pending DLR, MO and retry. */
  close(): Promise<void>;
}

const Submission = z.object({
  reference: z.string().min(1).max(200),
  to: z.string().regex(/^\+?[1-9]\d{5,14}$/, 'E.164 number expected'),
  from: z.string().min(1).max(20),
  text: z.string().min(1),
  validitySeconds: z.number().int().positive().optional(),
});
const Faults = z.object({
  dropResponses: z.number().int().min(0).optional(),
  failWith500: z.number().int().min(0).optional(),
});
const InjectedDlr = z.object({
  carrierId: z.string().min(1),
  stat: z.enum(['ENROUTE', 'ACCEPTD', 'DELIVRD', 'EXPIRED', 'DELETED', 'UNDELIV', 'UNKNOWN', 'REJECTD']),
  err: z.string().max(16).optional(),
});
/**
 * HLR/MNP answers, decided by the number like the send outcomes: ending in `00` → absent (switched off),
 * in `7` → ported (from the network its prefix names to Digi); Romanian prefixes name the network.
 */
export function lookupNumber(number: string) {
  const prefix = number.slice(0, 5);
  const home =
    {
      '+4072': 'Vodafone RO',
      '+4073': 'Vodafone RO',
      '+4074': 'Orange RO',
      '+4075': 'Orange RO',
      '+4076': 'Telekom RO',
      '+4077': 'Digi RO',
    }[prefix] ?? 'Sim Mobile';
  const ported = number.endsWith('7') && home !== 'Digi RO';
  return {
    number,
    status: number.endsWith('00') ? 'absent' : 'active',
    network: ported ? 'Digi RO' : home,
    ported,
    ...(ported ? { originalNetwork: home } : {}),
  };
}

const Mo = z.object({ from: z.string().min(1), to: z.string().min(1), text: z.string() });

/**
 * Starts the carrier simulator: an HTTP server that behaves like an SMS carrier (docs/carrier-simulator.md).
 * It runs in its own process (`main.ts`) so the platform only ever reaches it over HTTP, like a carrier.
 */
export async function startCarrierSimulator(config: CarrierSimulatorConfig): Promise<CarrierSimulator> {
  const dlrMinDelayMs = config.dlrMinDelayMs ?? 100;
  const carrier = makeCarrier({
    webhookSecret: config.webhookSecret,
    dlrUrl: config.dlrUrl,
    moUrl: config.moUrl,
    ratePerSecond: config.ratePerSecond ?? 50,
    dlrMinDelayMs,
    dlrMaxDelayMs: Math.max(dlrMinDelayMs, config.dlrMaxDelayMs ?? 1500),
    webhookRetryBaseMs: config.webhookRetryBaseMs ?? 500,
    webhookMaxAttempts: config.webhookMaxAttempts ?? 5,
    dlrBatchMs: config.dlrBatchMs ?? 200,
    dlrBatchMax: Math.max(1, config.dlrBatchMax ?? 500),
  });

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const key = `${req.method} ${new URL(req.url ?? '/', 'http://sim').pathname}`;
    switch (key) {
      case 'POST /sms': {
        if (req.headers.authorization !== `Bearer ${config.apiKey}`)
          return send(res, 401, { error: 'unauthorized' });
        const input = Submission.safeParse(await readJson(req));
        if (!input.success) return send(res, 400, { error: z.prettifyError(input.error) });
        const answer = carrier.submit(input.data);
        if (answer === 'drop') return void req.socket.destroy();
        const headers: Record<string, string> = answer.retryAfter
          ? { 'retry-after': String(answer.retryAfter) }
          : {};
        return send(res, answer.status, answer.body, headers);
      }
      case 'GET /lookup': {
        if (req.headers.authorization !== `Bearer ${config.apiKey}`)
          return send(res, 401, { error: 'unauthorized' });
        const number = new URL(req.url ?? '/', 'http://sim').searchParams.get('number') ?? '';
        if (!/^\+[1-9]\d{6,14}$/.test(number)) return send(res, 400, { error: 'number must be E.164' });
        return send(res, 200, lookupNumber(number));
      }
      case 'GET /_sim/messages':
        return send(res, 200, carrier.listMessages());
      case 'DELETE /_sim/messages':
        carrier.clearMessages();
        return send(res, 204);
      case 'GET /_sim/dlrs':
        return send(res, 200, carrier.dlrs);
      case 'DELETE /_sim/dlrs':
        carrier.dlrs.splice(0);
        return send(res, 204);
      case 'GET /_sim/mos':
        return send(res, 200, carrier.mos);
      case 'DELETE /_sim/mos':
        carrier.mos.splice(0);
        return send(res, 204);
      case 'GET /_sim/faults':
        return send(res, 200, carrier.faults);
      case 'POST /_sim/faults': {
        const input = Faults.safeParse(await readJson(req));
        if (!input.success) return send(res, 400, { error: z.prettifyError(input.error) });
        Object.assign(carrier.faults, input.data);
        return send(res, 200, carrier.faults);
      }
      case 'POST /_sim/dlr': {
        const input = InjectedDlr.safeParse(await readJson(req));
        if (!input.success) return send(res, 400, { error: z.prettifyError(input.error) });
        const { carrierId, stat, err } = input.data;
        if (!carrier.injectDlr(carrierId, stat, err)) return send(res, 404, { error: 'unknown carrierId' });
        return send(res, 202, { carrierId, stat });
      }
      case 'POST /_sim/mo': {
        const input = Mo.safeParse(await readJson(req));
        if (!input.success) return send(res, 400, { error: z.prettifyError(input.error) });
        const carrierId = carrier.sendMo(input.data);
        if (carrierId === undefined) return send(res, 503, { error: 'SIM_MO_URL is not set' });
        return send(res, 202, { carrierId });
      }
      default:
        return send(res, 404, { error: `no route ${key}` });
    }
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: unknown) => {
      if (error instanceof BadRequestBody) return send(res, error.status, { error: error.message });
      send(res, 500, { error: error instanceof Error ? error.message : String(error) });
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(config.port ?? 0, config.host ?? '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  const host = config.host === undefined || config.host === '0.0.0.0' ? '127.0.0.1' : config.host;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: async () => {
      carrier.close();
      const closed = new Promise<void>((resolve) => server.close(() => resolve()));
      server.closeAllConnections();
      await closed;
    },
  };
}
