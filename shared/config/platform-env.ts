import { z } from 'zod';
import { validateSenderId } from '#domain/sender/sender-id';

/**
 * Platform-wide settings the operator chooses per deployment (not per account), parsed at cold start
 * like every other environment schema (`#config/env`).
 */
export const PlatformEnv = z.object({
  PLATFORM_DEFAULT_SENDER: z
    .string()
    .trim()
    .min(1)
    .transform((value, context) => {
      const check = validateSenderId(value);
      if (check.ok) return check.value;
      context.addIssue({ code: 'custom', message: `not a valid sender id (${check.reason})` });
      return z.NEVER;
    })
    .optional()
    .describe("The operator's default short number (or name) every account may send from; none if unset"),
  PRICE_LIST_CACHE_SECONDS: z.coerce
    .number()
    .int()
    .min(0)
    .max(3600)
    .default(30)
    .describe('How long a container reuses a price list before reading it again (0: every time)'),
});

export type PlatformEnv = z.infer<typeof PlatformEnv>;
