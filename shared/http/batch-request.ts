import { z } from 'zod';
import type { ListCampaignCommand } from '#use-cases/batches/list-campaign';
import type { CreateBatchCommand } from '#use-cases/batches/manage-batches';

const Column = z
  .string()
  .trim()
  .toUpperCase()
  .regex(/^[A-Z]{1,3}$/, 'a column letter as Excel shows it, e.g. "A"');

/**
 * A batch's settings (CONTRACT.md field names, flat as the contract gives them): the mapping of the file
 * and the sending options. Stated once for both ways a batch starts, POST /v1/batches and an S3 file
 * drop's sidecar (docs/file-drops.md), so they validate alike.
 */
export const BatchSettings = z.object({
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
  /** Per-row columns (docs/openapi.json): the row's sender, client reference and report URL. */
  senderColumn: Column.optional(),
  clientReferenceColumn: Column.optional(),
  reportUrlColumn: Column.optional(),
  /** The message column's cells hold `#header` placeholders (unknown `#words` stay as written). */
  messagePlaceholders: z.boolean().optional(),
  /** Drop rows identical in number, text and sender (the same number with another text is sent). */
  dedupMessages: z.boolean().optional(),
  reportMask: z.number().int().min(0).max(31).optional(),
});
type BatchSettings = z.infer<typeof BatchSettings>;

const ONE_MESSAGE_SOURCE = {
  message: 'Give either messageColumn or text',
  path: ['messageColumn'],
};
const oneMessageSource = (b: { messageColumn?: string; text?: string }) =>
  (b.messageColumn === undefined) !== (b.text === undefined);

/**
 * POST /v1/batches: the settings of a batch made from an upload. `templateId` (a saved template, whose
 * `#placeholders` name the file's headers) may stand for `text`.
 */
export const CreateBatchRequest = BatchSettings.extend({
  uploadId: z.string().min(1),
  templateId: z.string().min(1).max(64).optional(),
}).refine(
  (b) => [b.messageColumn, b.text, b.templateId].filter((source) => source !== undefined).length === 1,
  { message: 'Give one of messageColumn, text or templateId', path: ['messageColumn'] },
);
export type CreateBatchRequest = z.infer<typeof CreateBatchRequest>;

/**
 * The sidecar `<file>.json` of an S3 file drop (docs/file-drops.md): the same settings, plus `autoStart`.
 * Strict: an unknown field (a typo, or an `accountId`/`uploadId`, which come from the object key) is an
 * error, never silently ignored, because nobody is there to read a 400 when a drop is processed.
 */
export const FileDropSidecar = z
  .strictObject({
    ...BatchSettings.shape,
    /** Start the batch once it is ready, without confirmation (docs/file-drops.md). */
    autoStart: z.boolean().default(false),
  })
  .refine(oneMessageSource, ONE_MESSAGE_SOURCE);
export type FileDropSidecar = z.infer<typeof FileDropSidecar>;

/**
 * The use case's command from validated settings: mapping and options split, `startAt` in UTC. Only the
 * settings' own fields are read, so a request's `uploadId` or a sidecar's `autoStart` never lands in the
 * stored options.
 */
export function createBatchCommand(uploadId: string, settings: BatchSettings): CreateBatchCommand {
  const { name, firstRow, phoneColumn, messageColumn, text, sheet } = settings;
  const { from, startAt, speed, dedup, blocklist, smartEncoding, monitoring, validitySeconds } = settings;
  const { senderColumn, clientReferenceColumn, reportUrlColumn, messagePlaceholders } = settings;
  const { dedupMessages, reportMask } = settings;
  return {
    uploadId,
    name,
    mapping: {
      firstRow,
      phoneColumn,
      ...(messageColumn === undefined ? {} : { messageColumn }),
      ...(text === undefined ? {} : { text }),
      ...(sheet === undefined ? {} : { sheet }),
      ...(senderColumn === undefined ? {} : { senderColumn }),
      ...(clientReferenceColumn === undefined ? {} : { clientReferenceColumn }),
      ...(reportUrlColumn === undefined ? {} : { reportUrlColumn }),
      ...(messagePlaceholders ? { messagePlaceholders } : {}),
    },
    options: {
      speed,
      dedup,
      blocklist,
      smartEncoding,
      missingValues: settings.missingValues,
      ...(from === undefined ? {} : { from }),
      ...(startAt === undefined ? {} : { startAt: new Date(startAt).toISOString() }),
      ...(monitoring === undefined ? {} : { monitoring }),
      ...(validitySeconds === undefined ? {} : { validitySeconds }),
      ...(dedupMessages ? { dedupMessages } : {}),
      ...(reportMask === undefined ? {} : { reportMask }),
    },
  };
}

/**
 * POST /v1/batches with `source: { groups }`: a list campaign (docs/contacts.md). The batch's sending
 * options, one `text` (with `#field` placeholders from contact fields), no file mapping.
 */
export const ListCampaignRequest = BatchSettings.omit({
  firstRow: true,
  phoneColumn: true,
  messageColumn: true,
  sheet: true,
  text: true,
  senderColumn: true,
  clientReferenceColumn: true,
  reportUrlColumn: true,
  messagePlaceholders: true,
  dedupMessages: true,
  reportMask: true,
})
  .extend({
    source: z.strictObject({ groups: z.array(z.string().min(1).max(64)).min(1).max(50) }),
    text: z.string().min(1).max(10_000).optional(),
    /** A saved template (the caller's or its parent's) instead of `text`. */
    templateId: z.string().min(1).max(64).optional(),
  })
  .refine((b) => (b.text === undefined) !== (b.templateId === undefined), {
    message: 'Give either text or templateId',
    path: ['text'],
  });
export type ListCampaignRequest = z.infer<typeof ListCampaignRequest>;

/** Which request `POST /v1/batches` got: a list campaign names a `source`. */
export const BatchSource = z.looseObject({ source: z.unknown().optional() });

export function listCampaignCommand(request: ListCampaignRequest): ListCampaignCommand {
  const { name, text, templateId, source } = request;
  const { from, startAt, speed, dedup, blocklist, smartEncoding, monitoring, validitySeconds } = request;
  return {
    name,
    groupIds: source.groups,
    ...(text === undefined ? {} : { text }),
    ...(templateId === undefined ? {} : { templateId }),
    options: {
      speed,
      dedup,
      blocklist,
      smartEncoding,
      missingValues: request.missingValues,
      ...(from === undefined ? {} : { from }),
      ...(startAt === undefined ? {} : { startAt: new Date(startAt).toISOString() }),
      ...(monitoring === undefined ? {} : { monitoring }),
      ...(validitySeconds === undefined ? {} : { validitySeconds }),
    },
  };
}
