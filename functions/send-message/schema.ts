import { z } from 'zod';
import { isCallbackUrl } from '#domain/callbacks/callback';

export const SendMessageRequest = z
  .object({
    to: z
      .union([z.string(), z.number()])
      .transform(String)
      .describe('Destination: E.164, or national for the account country'),
    text: z.string().max(10_000).optional(),
    from: z.string().min(1).max(15).optional(),
    smartEncoding: z.boolean().optional(),
    scheduleAt: z.iso.datetime({ offset: true }).optional(),
    /** A saved template instead of `text`, its `#placeholders` filled from `fields`. */
    templateId: z.string().min(1).max(64).optional(),
    fields: z.record(z.string().max(100), z.union([z.string().max(1_000), z.number()])).optional(),
    /** Every status change of this message is POSTed here (signed; docs/callbacks.md). */
    callbackUrl: z.string().refine(isCallbackUrl, 'an absolute http(s) URL without credentials').optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.templateId === undefined), {
    message: 'Give either text or templateId',
    path: ['text'],
  });
export type SendMessageRequest = z.infer<typeof SendMessageRequest>;

export const IDEMPOTENCY_KEY = z
  .string()
  .min(1)
  .max(128)
  .regex(/^[\x21-\x7e]+$/, 'printable ASCII without spaces');
