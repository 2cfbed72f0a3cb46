import { z } from 'zod';
import type { CarrierDeliveryState, DeliveryReport } from '#ports/carrier-gateway';

/** A carrier-sim webhook body that is not JSON or does not have the documented shape. Permanent: answer 400. */
export class InvalidCarrierWebhook extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'InvalidCarrierWebhook';
  }
}

const STATES = [
  'ENROUTE',
  'ACCEPTD',
  'DELIVRD',
  'EXPIRED',
  'DELETED',
  'UNDELIV',
  'UNKNOWN',
  'REJECTD',
] as const satisfies readonly CarrierDeliveryState[];

/** Long SMPP names some carriers write instead of the 7-letter receipt forms. */
const STATE_ALIASES: Readonly<Record<string, CarrierDeliveryState>> = {
  DELIVERED: 'DELIVRD',
  UNDELIVERABLE: 'UNDELIV',
  ACCEPTED: 'ACCEPTD',
  REJECTED: 'REJECTD',
};

const Stat = z.preprocess((value) => {
  if (typeof value !== 'string') return value;
  const upper = value.trim().toUpperCase();
  return STATE_ALIASES[upper] ?? upper;
}, z.enum(STATES));

const IsoTime = z.iso.datetime({ offset: true });

/** The simulator's DLR webhook body (one report per part; `part` is 0-based). */
export const CarrierSimDlrBody = z
  .object({
    reference: z.string().min(1),
    carrierId: z.string().min(1),
    part: z.number().int().min(0),
    parts: z.number().int().min(1),
    stat: Stat,
    err: z.string().max(16).optional(),
    submitDate: IsoTime,
    doneDate: IsoTime,
    /** The SMPP receipt text (`id:… stat:… err:…`), kept for logs only. */
    receipt: z.string().optional(),
  })
  .refine((body) => body.part < body.parts, { message: 'part must be less than parts', path: ['part'] });
export type CarrierSimDlrBody = z.infer<typeof CarrierSimDlrBody>;

/** The simulator's MO (inbound SMS) webhook body. */
export const CarrierSimMoBody = z.object({
  carrierId: z.string().min(1),
  from: z.string().min(1),
  to: z.string().min(1),
  text: z.string(),
  receivedAt: IsoTime,
});
export type CarrierSimMoBody = z.infer<typeof CarrierSimMoBody>;

/**
 * Parses a (verified) DLR webhook body into the carrier-independent report. The carrier id is kept
 * exactly as given (never re-cased or re-based), `err:000` means "no error" and is dropped, and `at` is
 * the carrier's done date in ISO UTC.
 * @throws InvalidCarrierWebhook when the body is not JSON or not a DLR.
 */
export function parseCarrierSimDeliveryReport(rawBody: string): DeliveryReport {
  return toReport(parseWith(CarrierSimDlrBody, rawBody, 'delivery report'));
}

/** Most reports one webhook request may carry (the simulator posts at most 500). */
export const MAX_REPORTS_PER_REQUEST = 1000;

/**
 * Parses a (verified) DLR webhook body holding one report or an array of them (a carrier posting its
 * reports in batches: docs/carrier-simulator.md). Each report as `parseCarrierSimDeliveryReport`.
 * @throws InvalidCarrierWebhook when the body is not JSON, not a DLR or array of DLRs, or too long.
 */
export function parseCarrierSimDeliveryReports(rawBody: string): DeliveryReport[] {
  const Body = z.union([
    z.array(CarrierSimDlrBody).min(1).max(MAX_REPORTS_PER_REQUEST),
    CarrierSimDlrBody.transform((body) => [body]),
  ]);
  return parseWith(Body, rawBody, 'delivery report').map(toReport);
}

function toReport(body: CarrierSimDlrBody): DeliveryReport {
  const error = body.err === undefined || /^0+$/.test(body.err) ? undefined : body.err;
  return {
    reference: body.reference,
    carrierId: body.carrierId,
    part: body.part,
    parts: body.parts,
    state: body.stat,
    ...(error === undefined ? {} : { error }),
    at: new Date(body.doneDate).toISOString(),
  };
}

/**
 * Parses a (verified) MO webhook body; `receivedAt` is normalised to ISO UTC.
 * @throws InvalidCarrierWebhook when the body is not JSON or not an MO.
 */
export function parseCarrierSimMo(rawBody: string): CarrierSimMoBody {
  const body = parseWith(CarrierSimMoBody, rawBody, 'MO');
  return { ...body, receivedAt: new Date(body.receivedAt).toISOString() };
}

function parseWith<T>(schema: z.ZodType<T>, rawBody: string, what: string): T {
  let json: unknown;
  try {
    json = JSON.parse(rawBody);
  } catch (cause) {
    throw new InvalidCarrierWebhook(`carrier-sim ${what} is not JSON`, { cause });
  }
  const result = schema.safeParse(json);
  if (!result.success) {
    throw new InvalidCarrierWebhook(`invalid carrier-sim ${what}: ${z.prettifyError(result.error)}`, {
      cause: result.error,
    });
  }
  return result.data;
}
