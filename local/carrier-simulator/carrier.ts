import type { CarrierSimDlrBody, CarrierSimMoBody } from '#adapters/carrier-sim/delivery-report';
import { splitText } from '#domain/message/encoding';
import type { CarrierDeliveryState } from '#ports/carrier-gateway';
import { defaultErr, newCarrierId, outcomeFor, smppReceipt } from './carrier-rules';
import { makeTokenBucket } from './token-bucket';
import { makeWebhookSender, type WebhookAttemptLog } from './webhook-sender';

export interface CarrierOptions {
  readonly webhookSecret: string;
  readonly dlrUrl: string | undefined;
  readonly moUrl: string | undefined;
  readonly ratePerSecond: number;
  readonly dlrMinDelayMs: number;
  readonly dlrMaxDelayMs: number;
  readonly webhookRetryBaseMs: number;
  readonly webhookMaxAttempts: number;
  /** DLRs are collected this long and posted as one array; 0 = one object per POST. */
  readonly dlrBatchMs: number;
  /** Most DLRs in one POST. */
  readonly dlrBatchMax: number;
}

export interface SubmissionInput {
  readonly reference: string;
  readonly to: string;
  readonly from: string;
  readonly text: string;
  readonly validitySeconds?: number | undefined;
}

/** A submission as `GET /_sim/messages` lists it (plus `segments`, kept for receipts, not listed). */
export interface SimMessage {
  carrierId: string;
  carrierIds: string[];
  to: string;
  from: string;
  text: string;
  parts: number;
  encoding: 'GSM-7' | 'UCS-2';
  receivedAt: string;
  reference: string;
  validitySeconds?: number;
  /** ACCEPTD until its DLRs go out, then the final state; REJECTD when refused at submission. */
  status: CarrierDeliveryState;
  segments: string[];
}

export type DlrLog = CarrierSimDlrBody & WebhookAttemptLog & { injected: boolean };
export type MoLog = CarrierSimMoBody & WebhookAttemptLog;
/** What `POST /sms` answers; 'drop' = destroy the socket without answering (fault injection). */
export type SubmitAnswer =
  | { readonly status: number; readonly body: unknown; readonly retryAfter?: number }
  | 'drop';

/** The simulated carrier, without HTTP: its memory, its rules and its outgoing webhooks. */
export function makeCarrier(options: CarrierOptions) {
  const bucket = makeTokenBucket(options.ratePerSecond);
  const sender = makeWebhookSender({
    secret: options.webhookSecret,
    retryBaseMs: options.webhookRetryBaseMs,
    maxAttempts: options.webhookMaxAttempts,
    timeoutMs: 5000,
  });
  const messages: SimMessage[] = [];
  /** Idempotency memory: survives `DELETE /_sim/messages`, as a carrier's would. */
  const byReference = new Map<string, { message: SimMessage; answer: SubmitAnswer }>();
  const byCarrierId = new Map<string, { message: SimMessage; part: number }>();
  const dlrs: DlrLog[] = [];
  const mos: MoLog[] = [];
  const faults = { dropResponses: 0, failWith500: 0 };

  function sendDlr(
    message: SimMessage,
    part: number,
    stat: CarrierDeliveryState,
    err: string,
    injected: boolean,
  ) {
    const carrierId = message.carrierIds[part] ?? message.carrierId;
    const doneDate = new Date().toISOString();
    const text = message.segments[part] ?? message.text;
    const submitDate = message.receivedAt;
    const receipt = smppReceipt({ carrierId, stat, err, submitDate, doneDate, text });
    const { reference, parts } = message;
    const body: CarrierSimDlrBody = {
      reference,
      carrierId,
      part,
      parts,
      stat,
      err,
      submitDate,
      doneDate,
      receipt,
    };
    const log: DlrLog = { ...body, injected, attempts: 0, status: null, delivered: false };
    dlrs.push(log);
    if (options.dlrBatchMs <= 0) return sender.post(options.dlrUrl, body, log);
    pending.push({ body, log });
    if (pending.length >= options.dlrBatchMax) flushDlrs();
    else if (!flushScheduled) {
      flushScheduled = true;
      sender.later(options.dlrBatchMs, flushDlrs);
    }
  }

  /**
   * Like many HTTP carriers, the simulator posts its reports in arrays: what came due within
   * `dlrBatchMs`, at most `dlrBatchMax` per POST (one webhook call for many reports).
   */
  const pending: { body: CarrierSimDlrBody; log: DlrLog }[] = [];
  let flushScheduled = false;
  function flushDlrs(): void {
    flushScheduled = false;
    while (pending.length > 0) {
      const batch = pending.splice(0, options.dlrBatchMax);
      sender.post(
        options.dlrUrl,
        batch.map((p) => p.body),
        batch.map((p) => p.log),
      );
    }
  }

  function submit(input: SubmissionInput): SubmitAnswer {
    if (faults.failWith500 > 0) {
      faults.failWith500 -= 1;
      return { status: 500, body: { error: 'simulated carrier failure' } };
    }
    const previous = byReference.get(input.reference);
    if (previous !== undefined) {
      const { to, from, text } = previous.message;
      const same = to === input.to && from === input.from && text === input.text;
      return same
        ? previous.answer
        : { status: 409, body: { error: 'reference already used for another message' } };
    }
    const split = splitText(input.text);
    const taken = bucket.take(split.parts);
    if (!taken.ok) {
      const retryAfter = taken.retryAfterSeconds;
      return { status: 429, body: { error: 'throttled', retryAfterSeconds: retryAfter }, retryAfter };
    }
    const outcome = outcomeFor(input.to);
    const carrierIds = Array.from({ length: outcome === 'REJECTD' ? 1 : split.parts }, newCarrierId);
    const message: SimMessage = {
      carrierId: carrierIds[0] ?? newCarrierId(),
      carrierIds,
      to: input.to,
      from: input.from,
      text: input.text,
      parts: split.parts,
      encoding: split.encoding,
      receivedAt: new Date().toISOString(),
      reference: input.reference,
      ...(input.validitySeconds === undefined ? {} : { validitySeconds: input.validitySeconds }),
      status: outcome === 'REJECTD' ? 'REJECTD' : 'ACCEPTD',
      segments: split.segments,
    };
    messages.push(message);
    if (outcome === 'REJECTD') {
      const answer = { status: 422, body: { status: 'REJECTD', error: 'rejected by network' } };
      byReference.set(input.reference, { message, answer });
      return answer;
    }
    const answer = { status: 200, body: { carrierIds, parts: split.parts, encoding: split.encoding } };
    byReference.set(input.reference, { message, answer });
    for (const [part, id] of carrierIds.entries()) byCarrierId.set(id, { message, part });
    const delay = options.dlrMinDelayMs + Math.random() * (options.dlrMaxDelayMs - options.dlrMinDelayMs);
    sender.later(delay, () => {
      message.status = outcome;
      for (let part = 0; part < message.parts; part += 1)
        sendDlr(message, part, outcome, defaultErr(outcome), false);
    });
    if (faults.dropResponses > 0) {
      faults.dropResponses -= 1;
      return 'drop';
    }
    return answer;
  }

  /** Sends one extra DLR now for a known part id (duplicates, out-of-order states); false if unknown. */
  function injectDlr(carrierId: string, stat: CarrierDeliveryState, err = defaultErr(stat)): boolean {
    const target = byCarrierId.get(carrierId);
    if (target === undefined) return false;
    sendDlr(target.message, target.part, stat, err, true);
    return true;
  }

  /** Delivers an inbound SMS to the platform's MO webhook; undefined when no MO URL is configured. */
  function sendMo(input: { from: string; to: string; text: string }): string | undefined {
    if (options.moUrl === undefined) return undefined;
    const body: CarrierSimMoBody = {
      carrierId: newCarrierId(),
      ...input,
      receivedAt: new Date().toISOString(),
    };
    const log: MoLog = { ...body, attempts: 0, status: null, delivered: false };
    mos.push(log);
    sender.post(options.moUrl, body, log);
    return body.carrierId;
  }

  return {
    submit,
    injectDlr,
    sendMo,
    listMessages: () => messages.map(({ segments: _segments, ...listed }) => listed),
    clearMessages: () => void messages.splice(0),
    dlrs,
    mos,
    faults,
    close: () => sender.close(),
  };
}
