import { z } from 'zod';
import { startCarrierSimulator } from './server';

/**
 * Process entry of the carrier simulator. The local stack spawns it as
 * `spawn(process.execPath, ['--import', 'tsx', 'local/carrier-simulator/main.ts'], { env })` and waits for
 * the single stdout line `LISTENING <url>`. SIGTERM / SIGINT close it (pending DLRs are dropped).
 */
const Env = z.object({
  SIM_PORT: z.coerce.number().int().min(0).max(65535).default(0).describe('0 = a free port'),
  SIM_HOST: z.string().min(1).default('127.0.0.1'),
  SIM_API_KEY: z.string().min(1).describe('Bearer key expected on POST /sms'),
  SIM_WEBHOOK_SECRET: z.string().min(1).describe('HMAC key of the DLR and MO webhooks'),
  SIM_DLR_URL: z.url().optional().describe("The platform's DLR webhook"),
  SIM_MO_URL: z.url().optional().describe("The platform's MO webhook"),
  SIM_RATE_PER_SECOND: z.coerce.number().min(0).default(50).describe('Parts per second; 0 = unlimited'),
  SIM_DLR_MIN_DELAY_MS: z.coerce.number().int().min(0).default(100),
  SIM_DLR_MAX_DELAY_MS: z.coerce.number().int().min(0).default(1500),
  SIM_WEBHOOK_RETRY_BASE_MS: z.coerce.number().int().min(1).default(500),
  SIM_WEBHOOK_MAX_ATTEMPTS: z.coerce.number().int().min(1).default(5),
  SIM_DLR_BATCH_MS: z.coerce.number().int().min(0).default(200).describe('0 = one DLR object per POST'),
  SIM_DLR_BATCH_MAX: z.coerce.number().int().min(1).max(500).default(500),
});

const parsed = Env.safeParse(
  Object.fromEntries(Object.entries(process.env).filter(([, value]) => value !== '')),
);
if (!parsed.success) {
  process.stderr.write(`carrier simulator: bad environment\n${z.prettifyError(parsed.error)}\n`);
  process.exit(2);
}
const env = parsed.data;

const simulator = await startCarrierSimulator({
  port: env.SIM_PORT,
  host: env.SIM_HOST,
  apiKey: env.SIM_API_KEY,
  webhookSecret: env.SIM_WEBHOOK_SECRET,
  ...(env.SIM_DLR_URL === undefined ? {} : { dlrUrl: env.SIM_DLR_URL }),
  ...(env.SIM_MO_URL === undefined ? {} : { moUrl: env.SIM_MO_URL }),
  ratePerSecond: env.SIM_RATE_PER_SECOND,
  dlrMinDelayMs: env.SIM_DLR_MIN_DELAY_MS,
  dlrMaxDelayMs: env.SIM_DLR_MAX_DELAY_MS,
  webhookRetryBaseMs: env.SIM_WEBHOOK_RETRY_BASE_MS,
  webhookMaxAttempts: env.SIM_WEBHOOK_MAX_ATTEMPTS,
  dlrBatchMs: env.SIM_DLR_BATCH_MS,
  dlrBatchMax: env.SIM_DLR_BATCH_MAX,
});
process.stdout.write(`LISTENING ${simulator.url}\n`);

let stopping = false;
function stop(): void {
  if (stopping) return;
  stopping = true;
  // A last resort so the process never outlives the one second the local stack gives it.
  setTimeout(() => process.exit(0), 900).unref();
  simulator.close().then(
    () => process.exit(0),
    (error: unknown) => {
      process.stderr.write(`carrier simulator: close failed: ${String(error)}\n`);
      process.exit(1);
    },
  );
}
process.on('SIGTERM', stop);
process.on('SIGINT', stop);
