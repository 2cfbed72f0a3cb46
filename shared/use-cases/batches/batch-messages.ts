import type { Batch, BatchRow } from '#domain/batch/batch';
import { monitoringPositions, monitoringText } from '#domain/batch/monitoring';
import { DEFAULT_REPORT_MASK } from '#domain/callbacks/report-url';
import { isGsm7 } from '#domain/message/encoding';
import { type Message, messageReference } from '#domain/message/message';
import type { BatchJobMessage } from '#ports/queues';

/** A batch message's id is derived from the batch and row: a retried chunk recreates nothing. */
export function batchMessageId(batchId: string, row: number): string {
  return `${batchId}R${row}`;
}

/** A monitoring message's id: the `k`-th message of the batch was just sent. */
export function monitoringMessageId(batchId: string, k: number): string {
  return `${batchId}M${k}`;
}

export function parseRows(text: string): BatchRow[] {
  return text
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as BatchRow);
}

/**
 * The messages one ready chunk plans, in sending order: each `ok` row's message, and after every
 * `every`-th message of the batch (counted across chunks from `before`) a monitoring copy priced as the
 * summary priced it. Enqueueing and settlement both derive the batch's message ids from this.
 */
export function planChunkMessages(batch: Batch, rows: readonly BatchRow[], before: number, now: string) {
  return withMonitoring(
    batch,
    rows.filter((r) => r.status === 'ok').map((row) => toMessage(batch, row, now)),
    before,
  );
}

/** The message a send job carries (its item is written only at submission). */
export function jobMessage(message: Message, generation = 0): BatchJobMessage {
  return {
    batchId: message.batchId ?? '',
    to: message.to,
    from: message.from,
    text: message.text,
    encoding: message.encoding,
    parts: message.parts,
    cost: message.cost,
    fundedBy: message.fundedBy,
    queuedAt: message.createdAt,
    ...(message.validitySeconds ? { validitySeconds: message.validitySeconds } : {}),
    ...(generation > 0 ? { generation } : {}),
    ...(message.clientReference === undefined ? {} : { clientReference: message.clientReference }),
    ...(message.report ? { report: message.report } : {}),
  };
}

/** The batch message as stored when its job is claimed: `submitted`, with its history so far. */
export function submittedMessage(
  accountId: string,
  messageId: string,
  job: BatchJobMessage,
  at: string,
): Message {
  return {
    id: messageId,
    accountId,
    to: job.to,
    from: job.from,
    text: job.text,
    encoding: job.encoding,
    parts: job.parts,
    cost: job.cost,
    pricePerPart: job.parts ? Math.round(job.cost / job.parts) : 0,
    currency: 'EUR',
    fundedBy: job.fundedBy,
    status: 'submitted',
    createdAt: job.queuedAt,
    events: [
      { status: 'queued', at: job.queuedAt },
      { status: 'submitted', at },
    ],
    reference: messageReference(accountId, messageId),
    batchId: job.batchId,
    ...(job.validitySeconds ? { validitySeconds: job.validitySeconds } : {}),
    ...(job.callbackUrl ? { callbackUrl: job.callbackUrl } : {}),
    ...(job.clientReference === undefined ? {} : { clientReference: job.clientReference }),
    ...(job.report ? { report: job.report } : {}),
  };
}

/** The claim given back after a throttle: `queued` again, as before its job was first claimed. */
export function releasedMessage(message: Message): Message {
  return { ...message, status: 'queued', events: message.events.filter((e) => e.status === 'queued') };
}

function withMonitoring(batch: Batch, messages: Message[], before: number): Message[] {
  const monitor = batch.options.monitoring;
  const priced = batch.summary?.monitoring;
  if (!monitor || !priced || priced.messages === 0) return messages;
  const positions = new Set(monitoringPositions(before, messages.length, monitor.every));
  const out: Message[] = [];
  messages.forEach((message, i) => {
    out.push(message);
    const k = before + i + 1;
    if (!positions.has(k)) return;
    const text = monitoringText(batch.name, k);
    const id = monitoringMessageId(batch.id, k);
    const parts = priced.parts / priced.messages;
    const cost = priced.cost / priced.messages;
    // The copy is the batch's, not the row's: its sender, and no reference or report URL of the row.
    const { clientReference: _reference, report: _report, ...common } = message;
    out.push({
      ...common,
      id,
      from: batch.options.from,
      to: monitor.number,
      text,
      encoding: isGsm7(text) ? 'GSM-7' : 'UCS-2',
      parts,
      cost,
      pricePerPart: parts > 0 ? cost / parts : 0,
      reference: messageReference(batch.accountId, id),
    });
  });
  return out;
}

function toMessage(batch: Batch, row: BatchRow, now: string): Message {
  const id = batchMessageId(batch.id, row.row);
  return {
    id,
    accountId: batch.accountId,
    to: row.to ?? '',
    from: row.from ?? batch.options.from,
    text: row.text ?? '',
    encoding: row.encoding ?? 'GSM-7',
    parts: row.parts ?? 1,
    cost: row.cost ?? 0,
    pricePerPart: row.parts ? Math.round((row.cost ?? 0) / row.parts) : 0,
    currency: 'EUR',
    fundedBy: batch.fundedBy ?? batch.accountId,
    status: 'queued',
    createdAt: now,
    events: [{ status: 'queued', at: now }],
    reference: messageReference(batch.accountId, id),
    batchId: batch.id,
    ...(batch.options.validitySeconds ? { validitySeconds: batch.options.validitySeconds } : {}),
    ...(row.clientReference === undefined ? {} : { clientReference: row.clientReference }),
    ...(row.reportUrl === undefined
      ? {}
      : { report: { url: row.reportUrl, mask: batch.options.reportMask ?? DEFAULT_REPORT_MASK } }),
  };
}
