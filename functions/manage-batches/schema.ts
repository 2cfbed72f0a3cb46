import { z } from 'zod';

const Column = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,3}$/, 'a column letter as Excel shows it, e.g. "A"');

/** POST /v1/batches (CONTRACT.md field names), flat as the contract gives them. */
export const CreateBatchRequest = z
  .object({
    uploadId: z.string().min(1),
    name: z.string().trim().min(1).max(200),
    firstRow: z.number().int().min(1).max(1_048_576),
    phoneColumn: Column,
    messageColumn: Column.optional(),
    text: z.string().min(1).max(10_000).optional(),
    sheet: z.union([z.string().min(1).max(31), z.number().int().min(0)]).optional(),
    from: z.string().min(1).max(15).optional(),
    startAt: z.iso.datetime({ offset: true }).optional(),
    speed: z.number().int().min(0).max(1_000).default(0),
    dedup: z.boolean().default(true),
    blocklist: z.boolean().default(true),
    smartEncoding: z.boolean().default(false),
    monitoring: z
      .object({
        number: z.string().min(3).max(32),
        every: z.union([z.literal(100), z.literal(200), z.literal(500), z.literal(1000), z.literal(5000)]),
      })
      .optional(),
    validitySeconds: z
      .number()
      .int()
      .min(60)
      .max(72 * 3600)
      .optional(),
    missingValues: z.enum(['empty', 'error']).default('empty'),
  })
  .refine((b) => (b.messageColumn === undefined) !== (b.text === undefined), {
    message: 'Give either messageColumn or text',
    path: ['messageColumn'],
  });
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;
