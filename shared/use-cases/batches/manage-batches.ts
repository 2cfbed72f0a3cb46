import { fundingOrder, resolveSender } from '#domain/account/account';
import { type Batch, type BatchMapping, type BatchOptions, EMPTY_PROGRESS } from '#domain/batch/batch';
import { MAX_PLANNED_SENDING_MS, plannedSendingMs } from '#domain/batch/send-window';
import { Conflict, InsufficientCredit, MessageRejected, NotFound, ValidationFailed } from '#domain/errors';
import { checkTemplateColumns } from '#domain/message/template';
import type { BatchRepository } from '#ports/batch-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import type { TemplateRepository } from '#ports/template-repository';
import type { BatchScheduler, WorkflowStarter } from '#ports/workflows';
import type { Caller } from '../accounts';
import { resolveDestination } from '../compose-message';
import { getTemplate } from '../templates/templates';
import { MAX_UPLOAD_BYTES } from './uploads';

export interface BatchDeps {
  readonly batches: BatchRepository;
  readonly files: ObjectStore;
  readonly workflows: WorkflowStarter;
  readonly scheduler: BatchScheduler;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  readonly platformSender?: string;
  /** Saved templates, for a batch created with `templateId` (absent: such a batch is refused). */
  readonly templates?: TemplateRepository;
}

export interface CreateBatchCommand {
  readonly uploadId: string;
  readonly name: string;
  readonly mapping: BatchMapping;
  readonly options: Omit<BatchOptions, 'from'> & { from?: string };
  /** A saved template (the caller's or its parent's) whose text becomes `mapping.text`. */
  readonly templateId?: string;
  /** Start once the analysis is ready (no confirmation): see `Batch.autoStart`. */
  readonly autoStart?: boolean;
}

/** What starting a batch needs (an automatic start has no file access). */
export type StartDeps = Pick<BatchDeps, 'batches' | 'workflows' | 'scheduler' | 'ids' | 'clock'>;

const COLUMN = /^[A-Z]{1,3}$/;

/**
 * Creates a batch from an upload; nothing is sent.
 * 1. The upload must be the caller's and its file present (and not too big).
 * 2. Check the mapping (columns as letters, a message column or a text, a sender approved for the account).
 * 3. Store the batch as `analysing` and start the analysis workflow (named after the batch: a retry
 *    starts nothing twice). Its summary arrives when the batch is `ready`.
 */
export async function createBatch(
  deps: BatchDeps,
  caller: Caller,
  command: CreateBatchCommand,
): Promise<Batch> {
  const upload = await deps.batches.getUpload(caller.accountId, command.uploadId);
  if (!upload) throw new NotFound('Upload not found');
  const size = await deps.files.size(upload.key);
  if (size === undefined) throw new ValidationFailed('The file has not been uploaded yet');
  if (size > MAX_UPLOAD_BYTES)
    throw new ValidationFailed(`The file is larger than ${MAX_UPLOAD_BYTES} bytes`);

  const { mapping, options } = await checkBatchSettings(deps, caller, command);
  const batch: Batch = {
    id: deps.ids.newId(),
    accountId: caller.accountId,
    name: command.name,
    status: 'analysing',
    uploadId: upload.id,
    mapping,
    options,
    progress: EMPTY_PROGRESS,
    createdAt: deps.clock.now().toISOString(),
    ...(command.autoStart ? { autoStart: true } : {}),
  };
  await deps.batches.create(batch);
  await deps.workflows.start('analyseBatch', `analyse-${batch.id}`, {
    accountId: batch.accountId,
    batchId: batch.id,
  });
  return batch;
}

/**
 * A batch's mapping and options checked for the caller (columns as letters, one message source, a sender
 * approved for the account, the monitoring number completed): what `createBatch` stores, and what a
 * recurring campaign's definition must pass before it is saved.
 */
export async function checkBatchSettings(
  deps: Pick<BatchDeps, 'templates' | 'platformSender'>,
  caller: Caller,
  command: Pick<CreateBatchCommand, 'mapping' | 'options' | 'templateId'>,
): Promise<{ mapping: BatchMapping; options: BatchOptions }> {
  const mapping = await withTemplate(deps, caller, command);
  for (const [field, column] of [
    ['phoneColumn', mapping.phoneColumn],
    ['messageColumn', mapping.messageColumn],
    ['senderColumn', mapping.senderColumn],
    ['clientReferenceColumn', mapping.clientReferenceColumn],
    ['reportUrlColumn', mapping.reportUrlColumn],
  ] as const) {
    if (column !== undefined && !COLUMN.test(column))
      throw new ValidationFailed(`${field} must be a column letter like "A"`);
  }
  if ((mapping.messageColumn === undefined) === (mapping.text === undefined)) {
    throw new ValidationFailed('Give either messageColumn or text');
  }
  if (mapping.messagePlaceholders && mapping.messageColumn === undefined) {
    throw new ValidationFailed('messagePlaceholders applies to a messageColumn');
  }
  const mask = command.options.reportMask;
  if (mask !== undefined && (!Number.isInteger(mask) || mask < 0 || mask > 31)) {
    throw new ValidationFailed('reportMask must be 0-31');
  }
  if (
    mapping.text !== undefined &&
    mapping.firstRow < 2 &&
    checkTemplateColumns(mapping.text, []).ok === false
  ) {
    throw new ValidationFailed('Placeholders need a header row above firstRow');
  }
  return { mapping, options: resolveBatchOptions(deps, caller, command.options) };
}

/** A batch's options as stored: the sender approved for the account, the monitoring number completed. */
export function resolveBatchOptions(
  deps: Pick<BatchDeps, 'platformSender'>,
  caller: Caller,
  options: CreateBatchCommand['options'],
): BatchOptions {
  const sender = resolveSender(caller.account, options.from, deps.platformSender);
  if (!sender.ok)
    throw new MessageRejected(sender.reason, `Sender ${options.from ?? '(default)'} is not approved`);
  const monitoring = options.monitoring && {
    every: options.monitoring.every,
    number: resolveDestination(options.monitoring.number, caller.account),
  };
  return { ...options, from: sender.sender, ...(monitoring ? { monitoring } : {}) };
}

/** The mapping, its `text` taken from the saved template when the batch names one. */
async function withTemplate(
  deps: Pick<BatchDeps, 'templates'>,
  caller: Caller,
  command: Pick<CreateBatchCommand, 'mapping' | 'templateId'>,
) {
  if (command.templateId === undefined) return command.mapping;
  if (!deps.templates) throw new ValidationFailed('templateId is not available here');
  if (command.mapping.text !== undefined || command.mapping.messageColumn !== undefined) {
    throw new ValidationFailed('Give one of messageColumn, text or templateId');
  }
  const template = await getTemplate({ templates: deps.templates }, caller, command.templateId);
  return { ...command.mapping, text: template.text, templateId: template.id };
}

export async function getBatch(
  deps: Pick<BatchDeps, 'batches'>,
  caller: Caller,
  batchId: string,
): Promise<Batch> {
  const batch = await deps.batches.get(caller.accountId, batchId);
  if (!batch) throw new NotFound('Batch not found');
  return batch;
}

/**
 * Confirms a ready batch ("Yes, this is correct").
 * 1. Reserve the whole summary cost on the paying account, atomically with `ready → running|scheduled`
 *    (402 when short, nothing reserved).
 * 2. A future start time creates a one-time schedule that starts the send workflow then; otherwise the
 *    send workflow starts now (named after the batch: a retried start starts nothing twice).
 */
export async function startBatch(deps: StartDeps, caller: Caller, batchId: string): Promise<Batch> {
  const batch = await getBatch(deps, caller, batchId);
  const input = { accountId: batch.accountId, batchId: batch.id };
  if (batch.status === 'running') {
    await deps.workflows.start('sendBatch', `send-${batch.id}`, input);
    return batch;
  }
  if (batch.status !== 'ready' || !batch.summary) {
    throw new Conflict('BATCH_NOT_READY', `A ${batch.status} batch cannot be started`);
  }
  if (batch.summary.messages === 0)
    throw new Conflict('BATCH_EMPTY', 'The batch has no valid message to send');
  // The send workflow must finish within its window (send-window.ts): refuse what cannot, before reserving.
  const sendingMs = plannedSendingMs(batch.summary, batch.options.speed, caller.account.partsPerSecond);
  if (sendingMs > MAX_PLANNED_SENDING_MS) {
    const days = (ms: number) => Math.round((ms / 86_400_000) * 10) / 10;
    throw new MessageRejected(
      'BATCH_TOO_SLOW',
      `Sending ${batch.summary.messages} messages at this speed takes ${days(sendingMs)} days; a batch must ` +
        `finish sending within ${days(MAX_PLANNED_SENDING_MS)} days: raise its speed or split the file`,
      { details: { sendingSeconds: Math.ceil(sendingMs / 1000), maxSeconds: MAX_PLANNED_SENDING_MS / 1000 } },
    );
  }
  const now = deps.clock.now();
  const startAt = batch.options.startAt ? new Date(batch.options.startAt) : undefined;
  const scheduled = startAt !== undefined && startAt.getTime() > now.getTime();
  const cost = batch.summary.cost;
  const funders = fundingOrder(caller.account);
  let started: Batch | undefined;
  for (const fundedBy of funders) {
    try {
      started = await deps.batches.reserveAndStart(
        batch,
        scheduled ? 'scheduled' : 'running',
        {
          id: deps.ids.newId(),
          accountId: fundedBy,
          amount: -cost,
          reservedDelta: cost,
          kind: 'reserve',
          reason: `Batch "${batch.name}" (${batch.summary.messages} messages, ${batch.summary.parts} parts)`,
          by: caller.accountId,
          ref: batch.id,
          at: now.toISOString(),
        },
        now.toISOString(),
        caller.account.dailySpendLimit === undefined
          ? undefined
          : {
              accountId: caller.accountId,
              day: now.toISOString().slice(0, 10),
              limit: caller.account.dailySpendLimit,
            },
      );
      break;
    } catch (error) {
      if (!(error instanceof InsufficientCredit) || fundedBy === funders.at(-1)) throw error;
    }
  }
  if (!started) throw new Conflict('BATCH_NOT_READY', 'The batch is no longer ready');
  if (scheduled && startAt) await deps.scheduler.scheduleSend(`send-${batch.id}`, startAt, input);
  else await deps.workflows.start('sendBatch', `send-${batch.id}`, input);
  return started;
}

/**
 * Cancels a batch that has not started sending: its schedule is deleted and its reservation released.
 */
export async function cancelBatch(deps: BatchDeps, caller: Caller, batchId: string): Promise<Batch> {
  const batch = await getBatch(deps, caller, batchId);
  if (!['analysing', 'ready', 'scheduled'].includes(batch.status)) {
    throw new Conflict(
      'BATCH_NOT_CANCELLABLE',
      `A ${batch.status} batch cannot be cancelled; stop it instead`,
    );
  }
  if (batch.status === 'scheduled') await deps.scheduler.cancel(`send-${batch.id}`);
  const reserved = batch.reserved ?? 0;
  const now = deps.clock.now().toISOString();
  const cancelled = await deps.batches.release(
    batch,
    'cancelled',
    reserved,
    {
      id: deps.ids.newId(),
      accountId: batch.fundedBy ?? batch.accountId,
      amount: reserved,
      reservedDelta: -reserved,
      kind: 'refund',
      reason: `Batch "${batch.name}" cancelled`,
      by: caller.accountId,
      ref: batch.id,
      at: now,
    },
    now,
  );
  if (!cancelled) throw new Conflict('BATCH_NOT_CANCELLABLE', 'The batch has already moved on');
  return cancelled;
}

/** Stops a running (or paused) batch: nothing more is enqueued; the send workflow settles and refunds the rest. */
export async function stopBatch(deps: BatchDeps, caller: Caller, batchId: string): Promise<Batch> {
  await getBatch(deps, caller, batchId);
  const stopped = await stopSending(deps, caller.accountId, batchId);
  if (!stopped) throw new Conflict('BATCH_NOT_RUNNING', 'Only a running or paused batch can be stopped');
  return stopped;
}

/**
 * The one stop: a conditional `running|paused → stopped` (undefined when the batch is neither). The send
 * workflow sees it, enqueues nothing more and settles (what was sent charged, the rest refunded). Used
 * by `POST /stop` and by the workflow itself when a batch's send window closes (with the `reason`).
 */
export function stopSending(
  deps: Pick<BatchDeps, 'batches' | 'clock'>,
  accountId: string,
  batchId: string,
  reason?: string,
): Promise<Batch | undefined> {
  return deps.batches.transition(accountId, batchId, 'stopped', {
    finishedAt: deps.clock.now().toISOString(),
    ...(reason === undefined ? {} : { reason }),
  });
}
