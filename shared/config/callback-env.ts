import { z } from 'zod';

export const CallbackQueueEnv = z.object({
  CALLBACK_QUEUE_URL: z.string().url().describe('Queue of customer callbacks (status changes, replies)'),
});

export const InboundQueueEnv = z.object({
  INBOUND_QUEUE_URL: z.string().url().describe('Queue of verified inbound SMS (MO)'),
});

export const CallbackDispatchEnv = z.object({
  CALLBACKS_ALLOW_PRIVATE_HOSTS: z
    .enum(['true', 'false'])
    .default('false')
    .transform((v) => v === 'true')
    .describe('Let callbacks reach private/loopback addresses (the local stack only; never deployed)'),
  CALLBACK_TIMEOUT_MS: z.coerce
    .number()
    .int()
    .min(100)
    .max(20_000)
    .default(5000)
    .describe('Per-attempt timeout'),
});
