import { z } from 'zod';

export const SendMessageRequest = z.object({
  to: z
    .union([z.string(), z.number()])
    .transform(String)
    .describe('Destination: E.164, or national for the account country'),
  text: z.string().max(10_000),
  from: z.string().min(1).max(15).optional(),
  smartEncoding: z.boolean().optional(),
  scheduleAt: z.iso.datetime({ offset: true }).optional(),
});
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const IDEMPOTENCY_KEY = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
