import { fundingOrder, resolveSender } from '#domain/account/account';
import {
  Forbidden,
  IdempotencyConflict,
  InsufficientCredit,
  MessageRejected,
  NotFound,
  ValidationFailed,
} from '#domain/errors';
import type { LinkCodes } from '#domain/links/links';
import { type Message, messageReference } from '#domain/message/message';
import type { AccountRepository, BlocklistRepository } from '#ports/account-repository';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { MessageRepository } from '#ports/message-repository';
import type { PriceListRepository } from '#ports/price-lists';
import type { SendQueue } from '#ports/queues';
import type { TemplateRepository } from '#ports/template-repository';
import type { StatusChanged } from './callbacks/status-callbacks';
import { assertNotBlocklisted, composeText, priceFor, resolveDestination } from './compose-message';
import { renderSavedTemplate } from './templates/templates';

export interface SendMessageDeps {
  readonly accounts: AccountRepository;
  readonly messages: MessageRepository;
  readonly blocklist: BlocklistRepository;
  readonly sendQueue: SendQueue;
  readonly prices: PriceListRepository;
  /** The operator's default short number, usable by every account. */
  readonly platformSender?: string;
  readonly clock: Clock;
  readonly ids: IdGenerator;
  /** Saved templates, for a send by `template` (absent: such a send is refused). */
  readonly templates?: TemplateRepository;
  /** Status callbacks (a message with a `callbackUrl`); absent = none. */
  readonly statusChanged?: StatusChanged;
}

export interface SendMessageCommand {
  readonly accountId: string;
  readonly to: string;
  /** The text, or (with `template`) ignored: the saved template rendered with `fields` is sent. */
  readonly text: string;
  readonly template?: { readonly id: string; readonly fields: Readonly<Record<string, string | number>> };
  readonly from?: string;
  readonly smartEncoding?: boolean;
  /** Send at this instant instead of now (UTC); up to 30 days ahead. */
  readonly scheduleAt?: Date;
  /** `Idempotency-Key` header and a hash of the request it came with. */
  readonly idempotency?: { readonly key: string; readonly requestHash: string };
  /** This send's own status callback URL (else the account's, when its delivery callbacks are on). */
  readonly callbackUrl?: string;
  /** The sendSMS API's `report_url` + `report_mask` (GETs for the selected statuses). */
  readonly report?: { readonly url: string; readonly mask: number };
  /** A platform message (the phone verification code): routed and checked as any other, costs nothing. */
  readonly free?: boolean;
  /** A secret inside the text (the verification code): sent to the carrier, masked wherever it is shown. */
  readonly conceal?: string;
  /** The links `prepareLinks` stored for this text, recorded on the message for the sender (`attachLinks`). */
  readonly links?: LinkCodes;
}

/**
 * Accepts one SMS for sending.
 * 1. A retry with a known idempotency key returns the first answer (re-enqueueing it if the first
 *    attempt stopped before the queue), and sends nothing more.
 * 2. Check the account, sender, text (encoding, parts, cap), number, blocklists and price.
 * 3. Store the message and reserve its cost in one conditional transaction, on the account itself or,
 *    for a parent-funded subuser whose own credit is short, on its parent (402 when neither covers it).
 * 4. Enqueue it for the sender and mark it `queued`. Should the queue refuse the job, a send without an
 *    idempotency key (which nobody can ever replay) is failed and refunded before the error is answered:
 *    the caller's error then tells the truth, nothing sent and nothing charged (`refundUnqueued`).
 */
export async function sendMessage(deps: SendMessageDeps, command: SendMessageCommand): Promise<Message> {
  const { accountId, idempotency } = command;
  if (idempotency) {
    const existing = await deps.messages.getIdempotency(accountId, idempotency.key);
    if (existing) return replay(deps, existing, idempotency.requestHash);
  }

  const account = await deps.accounts.get(accountId);
  if (!account) throw new NotFound('Account not found');
  if (account.status !== 'active') throw new Forbidden('ACCOUNT_SUSPENDED', 'The account is suspended');
  const sender = resolveSender(account, command.from, deps.platformSender);
  if (!sender.ok) {
    throw new MessageRejected(
      sender.reason,
      `Sender ${command.from ?? '(default)'} is not approved for this account`,
    );
  }
  const text = command.template
    ? await renderSavedTemplate(
        { templates: mustHaveTemplates(deps) },
        { accountId, account },
        {
          templateId: command.template.id,
          fields: command.template.fields,
        },
      )
    : command.text;
  const composed = composeText(text, {
    smartEncoding: command.smartEncoding ?? false,
    maxParts: account.maxParts,
  });
  const to = resolveDestination(command.to, account);
  await assertNotBlocklisted(deps.blocklist, accountId, to);
  const quoted = priceFor(await deps.prices.forAccount(account), to, composed.analysis.parts);
  const price = command.free ? { ...quoted, cost: 0, pricePerPart: 0 } : quoted;

  const now = deps.clock.now().toISOString();
  const scheduleAt =
    command.scheduleAt && command.scheduleAt.getTime() > Date.parse(now) ? command.scheduleAt : undefined;
  if (scheduleAt && scheduleAt.getTime() - Date.parse(now) > MAX_SCHEDULE_AHEAD_MS) {
    throw new ValidationFailed('scheduleAt may be at most 30 days ahead');
  }
  const id = deps.ids.newId();
  const base = {
    id,
    accountId,
    to,
    from: sender.sender,
    ...concealed(composed.text, command.conceal),
    encoding: composed.analysis.encoding,
    parts: composed.analysis.parts,
    cost: price.cost,
    pricePerPart: price.pricePerPart,
    currency: price.currency,
    status: 'accepted' as const,
    createdAt: now,
    events: [{ status: 'accepted' as const, at: now }],
    reference: messageReference(accountId, id),
    ...(scheduleAt ? { scheduledAt: scheduleAt.toISOString() } : {}),
    ...callbackOf(command, account),
    ...(command.report ? { report: command.report } : {}),
    ...(command.links ? { links: command.links } : {}),
  };
  const funders = fundingOrder(account);
  // Skip the own balance when it visibly cannot pay and a parent can; the condition decides for real.
  const candidates = funders.length > 1 && account.balance < price.cost ? funders.slice(1) : funders;
  let result: Awaited<ReturnType<MessageRepository['createWithCharge']>> | undefined;
  let message: Message = { ...base, fundedBy: accountId };
  for (const fundedBy of candidates) {
    message = { ...base, fundedBy };
    try {
      result = await deps.messages.createWithCharge({
        message,
        charge: {
          id: deps.ids.newId(),
          accountId: fundedBy,
          amount: -price.cost,
          reservedDelta: price.cost,
          kind: 'reserve',
          reason: `SMS to ${to} (${message.parts} part${message.parts === 1 ? '' : 's'})`,
          by: accountId,
          ref: id,
          at: now,
        },
        ...(idempotency ? { idempotency: { accountId, ...idempotency, messageId: id } } : {}),
        ...(account.dailySpendLimit === undefined
          ? {}
          : { dailySpend: { accountId, day: now.slice(0, 10), limit: account.dailySpendLimit } }),
      });
      break;
    } catch (error) {
      if (!(error instanceof InsufficientCredit) || fundedBy === candidates.at(-1)) throw error;
    }
  }
  if (!result) throw new InsufficientCredit('The balance does not cover the cost of this message');
  if (!result.created) return replay(deps, result.existing, idempotency?.requestHash ?? '');
  if (idempotency) return enqueue(deps, message);
  try {
    return await enqueue(deps, message);
  } catch (error) {
    if (error instanceof NotQueued) await refundUnqueued(deps, message);
    throw error;
  }
}

/** The send queue refused the job (its SDK call failed after its own retries). */
class NotQueued extends Error {
  constructor(cause: unknown) {
    super('The message could not be queued for sending', { cause });
    this.name = 'NotQueued';
  }
}

/**
 * A charged message the queue refused, of a send without an idempotency key: its caller gets an error
 * and can only send again, so it is failed and its cost given back (the `finalize` of a rejection). If
 * the job reached the queue after all (the call failed after SQS took it), the sender finds the message
 * final and skips it, so it is never sent and charged apart.
 */
async function refundUnqueued(deps: SendMessageDeps, message: Message): Promise<void> {
  const at = deps.clock.now().toISOString();
  const event = { status: 'failed' as const, at, reason: 'NOT_QUEUED' };
  const failed = await deps.messages.finalize(message, event, {
    kind: 'refund',
    entryId: deps.ids.newId(),
    reason: 'Not sent: the send queue refused it',
    at,
  });
  if (failed) await deps.statusChanged?.(failed, event);
}

async function replay(
  deps: SendMessageDeps,
  record: { accountId: string; messageId: string; requestHash: string },
  requestHash: string,
): Promise<Message> {
  if (record.requestHash !== requestHash) {
    throw new IdempotencyConflict('This Idempotency-Key was used with a different request');
  }
  const message = await deps.messages.get(record.accountId, record.messageId);
  if (!message) throw new NotFound('Message not found');
  return message.status === 'accepted' ? enqueue(deps, message) : message;
}

/** The text as shown (the secret masked, same length and encoding) and, if it differs, as sent. */
function concealed(text: string, secret: string | undefined): { text: string; carrierText?: string } {
  if (!secret || !text.includes(secret)) return { text };
  return { text: text.replaceAll(secret, '*'.repeat(secret.length)), carrierText: text };
}

/** How far ahead a single message may be scheduled. */
const MAX_SCHEDULE_AHEAD_MS = 30 * 24 * 3600 * 1000;

/**
 * Hands the message to the sender. A scheduled one waits in the queue itself: it is delayed up to SQS's
 * 15 minutes, and the sender puts it back (visibility, up to 12 h a hop) until it is due — no extra
 * store of pending sends, and nothing to poll.
 */
async function enqueue(deps: SendMessageDeps, message: Message): Promise<Message> {
  const now = deps.clock.now();
  const due = message.scheduledAt ? Date.parse(message.scheduledAt) : now.getTime();
  const delay = Math.max(0, Math.ceil((due - now.getTime()) / 1000));
  try {
    await deps.sendQueue.enqueue([
      {
        accountId: message.accountId,
        messageId: message.id,
        ...(message.scheduledAt ? { notBefore: message.scheduledAt } : {}),
        ...(delay > 0 ? { delaySeconds: Math.min(900, delay) } : {}),
      },
    ]);
  } catch (cause) {
    throw new NotQueued(cause);
  }
  const queued = await deps.messages.advance(message.accountId, message.id, {
    status: delay > 0 ? 'scheduled' : 'queued',
    at: now.toISOString(),
  });
  if (queued)
    await deps.statusChanged?.(
      queued,
      queued.events.at(-1) ?? { status: queued.status, at: now.toISOString() },
    );
  // Not forward means the sender (or a DLR) already moved it on: read what is there now.
  return queued ?? (await deps.messages.get(message.accountId, message.id)) ?? message;
}

function mustHaveTemplates(deps: SendMessageDeps): TemplateRepository {
  if (!deps.templates) throw new ValidationFailed('Sending by templateId is not available here');
  return deps.templates;
}

/** The message's callback URL: the send's own, else the account's when its delivery callbacks are on. */
function callbackOf(
  command: Pick<SendMessageCommand, 'callbackUrl'>,
  account: { callbackUrl?: string; deliveryCallbacks?: boolean },
): { callbackUrl?: string } {
  const url = command.callbackUrl ?? (account.deliveryCallbacks ? account.callbackUrl : undefined);
  return url ? { callbackUrl: url } : {};
}
