import {
  BatchGetCommand,
  type DynamoDBDocumentClient,
  GetCommand,
  PutCommand,
  UpdateCommand,
} from '@aws-sdk/lib-dynamodb';
import { DailySpendLimitReached, InsufficientCredit } from '#domain/errors';
import { type Message, type MessageStatus, STATUS_RANK } from '#domain/message/message';
import {
  finalizeLedgerEntry,
  type IdempotencyRecord,
  type MessageRepository,
} from '#ports/message-repository';
import { ledgerItem } from './account-item';
import { failedConditions, isConditionFailure } from './errors';
import { transactWrite } from './item-operations';
import { IDEMPOTENCY_TTL_SECONDS, idempotencyKey, messageKey, messageListKey } from './keys';
import { batchMessageItem, toMessage } from './message-item';
import { assertWithinDailyLimit, dailySpendUpdate, releaseUpdate, reserveUpdate } from './money-items';

const SUBMITTABLE = { ':accepted': 'accepted', ':scheduled': 'scheduled', ':queued': 'queued' };
/** BatchGetItem's limit per request. */
const KEYS_PER_BATCH_GET = 100;
/** BatchGetItem requests of one `getMany` in flight at once. */
const BATCH_GET_CONCURRENCY = 8;
/** Rounds of retrying UnprocessedKeys (jittered exponential backoff) before giving up. */
const UNPROCESSED_RETRIES = 8;
/** Conditional Puts in flight at once when a failed batch's unsent messages are sealed. */
const SEAL_CONCURRENCY = 25;
/** Puts of one seal before giving up (the task is retried): see `seal`. */
const SEAL_ATTEMPTS = 5;

export function makeDynamoMessageRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): MessageRepository {
  const { client, tableName: TableName } = options;

  async function getIdempotency(accountId: string, key: string): Promise<IdempotencyRecord | undefined> {
    const { Item } = await client.send(
      new GetCommand({ TableName, Key: idempotencyKey(accountId, key), ConsistentRead: true }),
    );
    if (!Item) return undefined;
    return {
      accountId,
      key,
      requestHash: String(Item.requestHash),
      messageId: String(Item.messageId),
    };
  }

  async function getMessage(accountId: string, messageId: string) {
    const { Item } = await client.send(
      new GetCommand({ TableName, Key: messageKey(accountId, messageId), ConsistentRead: true }),
    );
    return Item ? toMessage(Item) : undefined;
  }

  /** One BatchGetItem of up to 100 keys, retrying what DynamoDB left unprocessed (throttling). */
  async function batchGet(
    accountId: string,
    messageIds: readonly string[],
    consistent: boolean,
  ): Promise<Message[]> {
    const found: Message[] = [];
    let keys: Record<string, unknown>[] = messageIds.map((id) => messageKey(accountId, id));
    for (let attempt = 0; keys.length > 0; attempt++) {
      if (attempt > UNPROCESSED_RETRIES) throw new Error('Message reads throttled; retry');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 25 * 2 ** attempt));
      const { Responses, UnprocessedKeys } = await client.send(
        new BatchGetCommand({
          RequestItems: { [TableName]: { Keys: keys, ...(consistent ? { ConsistentRead: true } : {}) } },
        }),
      );
      for (const item of Responses?.[TableName] ?? []) found.push(toMessage(item));
      keys = (UnprocessedKeys?.[TableName]?.Keys as Record<string, unknown>[] | undefined) ?? [];
    }
    return found;
  }

  /**
   * The batch message's one conditional Put, shared by the sender's claim and the seal of a settling
   * batch: it applies where there is no item, or only a claim given back after a throttle (`queued`).
   */
  async function createIfUnclaimed(
    message: Message,
  ): Promise<{ created: true } | { created: false; existing: Message }> {
    try {
      await client.send(
        new PutCommand({
          TableName,
          Item: batchMessageItem(message),
          ConditionExpression: 'attribute_not_exists(pk) OR #status = :queued',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':queued': 'queued' },
        }),
      );
      return { created: true };
    } catch (error) {
      if (!isConditionFailure(error)) throw error;
      // Not `ReturnValuesOnConditionCheckFailure`: the document client leaves that item marshalled
      // ({ S: 'submitted' }), which read as an unknown status. A consistent read, on this rare path only.
      const existing = await getMessage(message.accountId, message.id);
      if (!existing) throw error;
      return { created: false, existing };
    }
  }

  /**
   * The seal of one message. A `queued` item read back after a failed Put is a claim that was taken
   * and given back again in between (a second throttle within milliseconds): the Put is tried again, so
   * the answer is always either sealed or a claim standing.
   */
  async function seal(message: Message): Promise<Message | undefined> {
    for (let attempt = 0; attempt < SEAL_ATTEMPTS; attempt++) {
      const outcome = await createIfUnclaimed(message);
      if (outcome.created) return undefined;
      if (outcome.existing.status !== 'queued') return outcome.existing;
    }
    throw new Error(`Message ${message.id} claimed and given back ${SEAL_ATTEMPTS} times; retry`);
  }

  return {
    getIdempotency,

    async getMany(accountId, messageIds, options = {}) {
      const unique = [...new Set(messageIds)];
      const slices: string[][] = [];
      for (let i = 0; i < unique.length; i += KEYS_PER_BATCH_GET) {
        slices.push(unique.slice(i, i + KEYS_PER_BATCH_GET));
      }
      const found: Message[] = [];
      const workers = Array.from({ length: Math.min(BATCH_GET_CONCURRENCY, slices.length) }, async () => {
        for (let slice = slices.shift(); slice; slice = slices.shift()) {
          found.push(...(await batchGet(accountId, slice, options.consistent === true)));
        }
      });
      await Promise.all(workers);
      return found;
    },

    async createWithCharge({ message, charge, idempotency, dailySpend }) {
      const nowSeconds = Math.floor(Date.parse(message.createdAt) / 1000);
      assertWithinDailyLimit(dailySpend, message.cost);
      try {
        await transactWrite(client, [
          reserveUpdate(TableName, message.fundedBy, message.cost),
          {
            Put: {
              TableName,
              Item: {
                ...messageKey(message.accountId, message.id),
                ...messageListKey(message.accountId, message.createdAt, message.id),
                entityType: 'message',
                version: 1,
                ...message,
                statusRank: STATUS_RANK[message.status],
                partStates: {},
              },
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          {
            Put: {
              TableName,
              Item: ledgerItem(charge),
              ConditionExpression: 'attribute_not_exists(pk)',
            },
          },
          ...(idempotency
            ? [
                {
                  Put: {
                    TableName,
                    Item: {
                      ...idempotencyKey(idempotency.accountId, idempotency.key),
                      entityType: 'idempotency',
                      version: 1,
                      requestHash: idempotency.requestHash,
                      messageId: idempotency.messageId,
                      expiresAt: nowSeconds + IDEMPOTENCY_TTL_SECONDS,
                    },
                    ConditionExpression: 'attribute_not_exists(pk)',
                  },
                },
              ]
            : []),
          ...(dailySpend ? [dailySpendUpdate(TableName, dailySpend, message.cost, nowSeconds)] : []),
        ]);
        return { created: true };
      } catch (error) {
        const failed = failedConditions(error);
        if (idempotency && failed.includes(3)) {
          const existing = await getIdempotency(idempotency.accountId, idempotency.key);
          if (existing) return { created: false, existing };
        }
        if (dailySpend && failed.includes(idempotency ? 4 : 3)) {
          throw new DailySpendLimitReached('The daily spend limit of this account is reached', {
            details: { limit: dailySpend.limit, day: dailySpend.day },
            cause: error,
          });
        }
        if (failed.includes(0)) {
          throw new InsufficientCredit('The balance does not cover the cost of this message', {
            details: { cost: message.cost },
            cause: error,
          });
        }
        throw error;
      }
    },

    get: getMessage,

    async advance(accountId, messageId, event, extra) {
      const rank = STATUS_RANK[event.status];
      const sets = ['#status = :status', 'statusRank = :rank', 'events = list_append(events, :events)'];
      const values: Record<string, unknown> = { ':status': event.status, ':rank': rank, ':events': [event] };
      if (event.reason !== undefined) {
        sets.push('reason = :reason');
        values[':reason'] = event.reason;
      }
      if (extra?.carrierIds) {
        sets.push('carrierIds = :carrierIds');
        values[':carrierIds'] = extra.carrierIds;
      }
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName,
            Key: messageKey(accountId, messageId),
            UpdateExpression: `SET ${sets.join(', ')}`,
            ConditionExpression: 'attribute_exists(pk) AND statusRank < :rank',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: values,
            ReturnValues: 'ALL_NEW',
          }),
        );
        return Attributes ? toMessage(Attributes) : undefined;
      } catch (error) {
        if (isConditionFailure(error)) return undefined;
        throw error;
      }
    },

    async claimForSubmission(accountId, messageId, at) {
      try {
        const { Attributes } = await client.send(
          new UpdateCommand({
            TableName,
            Key: messageKey(accountId, messageId),
            UpdateExpression: 'SET claimedAt = :at ADD submitAttempts :one',
            ConditionExpression: 'attribute_exists(pk) AND #status IN (:accepted, :scheduled, :queued)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':at': at, ':one': 1, ...SUBMITTABLE },
            ReturnValues: 'ALL_OLD',
          }),
        );
        if (!Attributes) return { outcome: 'not-submittable', message: undefined };
        const message = toMessage(Attributes);
        return { outcome: Attributes.claimedAt === undefined ? 'claimed' : 'already-claimed', message };
      } catch (error) {
        if (isConditionFailure(error)) return { outcome: 'not-submittable', message: undefined };
        throw error;
      }
    },

    createSubmitted: createIfUnclaimed,

    async sealUnsent(messages) {
      const existing: Message[] = [];
      // Conditional Puts cannot be batched (BatchWriteItem has no conditions): a bounded number at once.
      for (let i = 0; i < messages.length; i += SEAL_CONCURRENCY) {
        const claimed = await Promise.all(messages.slice(i, i + SEAL_CONCURRENCY).map(seal));
        for (const m of claimed) if (m) existing.push(m);
      }
      return existing;
    },

    async releaseSubmission(message) {
      try {
        await client.send(
          new PutCommand({
            TableName,
            Item: batchMessageItem(message),
            // Only a claim nothing has answered yet: never a message a report or the carrier touched.
            ConditionExpression: '#status = :submitted AND attribute_not_exists(carrierIds)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: { ':submitted': 'submitted' },
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async releaseClaim(accountId, messageId) {
      try {
        await client.send(
          new UpdateCommand({
            TableName,
            Key: messageKey(accountId, messageId),
            UpdateExpression: 'REMOVE claimedAt',
            ConditionExpression: '#status IN (:accepted, :scheduled, :queued)',
            ExpressionAttributeNames: { '#status': 'status' },
            ExpressionAttributeValues: SUBMITTABLE,
          }),
        );
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
    },

    async recordCarrierIds(accountId, messageId, carrierIds) {
      await client.send(
        new UpdateCommand({
          TableName,
          Key: messageKey(accountId, messageId),
          UpdateExpression: 'SET carrierIds = :ids',
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeValues: { ':ids': carrierIds },
        }),
      );
    },

    async recordPartState(accountId, messageId, part, status, carrierId) {
      const { Attributes } = await client.send(
        new UpdateCommand({
          TableName,
          Key: messageKey(accountId, messageId),
          // The first final state of a part wins; a duplicate report cannot change it. The part's carrier
          // id goes in a top-level attribute (`carrierId<n>`): toMessage gathers them into carrierIds.
          UpdateExpression: `SET partStates.#part = if_not_exists(partStates.#part, :status)${carrierId ? ', #cid = :cid' : ''}`,
          ConditionExpression: 'attribute_exists(pk)',
          ExpressionAttributeNames: {
            '#part': String(part),
            ...(carrierId ? { '#cid': `carrierId${part}` } : {}),
          },
          ExpressionAttributeValues: { ':status': status, ...(carrierId ? { ':cid': carrierId } : {}) },
          ReturnValues: 'ALL_NEW',
        }),
      );
      return Attributes?.partStates as Record<string, MessageStatus> | undefined;
    },

    async finalize(message, event, money) {
      const rank = STATUS_RANK[event.status];
      const settle = money.kind === 'settle';
      try {
        await transactWrite(client, [
          {
            Update: {
              TableName,
              Key: messageKey(message.accountId, message.id),
              UpdateExpression: `SET #status = :status, statusRank = :rank, events = list_append(events, :events), ${settle ? 'settledAt' : 'refundedAt'} = :at${event.reason === undefined ? '' : ', reason = :reason'}`,
              ConditionExpression:
                'attribute_exists(pk) AND statusRank < :rank AND attribute_not_exists(settledAt) AND attribute_not_exists(refundedAt)',
              ExpressionAttributeNames: { '#status': 'status' },
              ExpressionAttributeValues: {
                ':status': event.status,
                ':rank': rank,
                ':events': [event],
                ':at': money.at,
                ...(event.reason === undefined ? {} : { ':reason': event.reason }),
              },
            },
          },
          releaseUpdate(TableName, message.fundedBy, message.cost, settle ? 'spent' : 'balance'),
          {
            Put: {
              TableName,
              Item: ledgerItem(finalizeLedgerEntry(message, money)),
            },
          },
        ]);
        return await getMessage(message.accountId, message.id);
      } catch (error) {
        if (failedConditions(error).includes(0)) return undefined;
        throw error;
      }
    },
  };
}
