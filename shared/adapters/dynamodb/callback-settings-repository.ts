import { randomBytes } from 'node:crypto';
import { type DynamoDBDocumentClient, GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { CallbackSettings, CallbackSettingsRepository } from '#ports/callbacks';
import { isConditionFailure } from './errors';
import { setFields, updateExisting } from './item-operations';
import { accountKey, callbackSecretKey } from './keys';

/** 32 random bytes, base64url: the HMAC key customers verify callbacks with. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}

/**
 * Callback URL and switches are attributes of the account item (`callbackUrl`, `deliveryCallbacks`,
 * `receivesReplies`, `optOutKeywords`); the secret is the item `ACCOUNT#<id>` / `CALLBACKSECRET`.
 */
export function makeDynamoCallbackSettingsRepository(options: {
  client: DynamoDBDocumentClient;
  tableName: string;
}): CallbackSettingsRepository {
  const { client, tableName: TableName } = options;

  async function secret(accountId: string): Promise<string | undefined> {
    const { Item } = await client.send(
      new GetCommand({ TableName, Key: callbackSecretKey(accountId), ConsistentRead: true }),
    );
    return typeof Item?.secret === 'string' ? Item.secret : undefined;
  }

  function toSettings(item: Record<string, unknown>, withSecret?: string): CallbackSettings {
    return {
      ...(typeof item.callbackUrl === 'string' ? { url: item.callbackUrl } : {}),
      deliveryReports: item.deliveryCallbacks === true,
      replies: item.receivesReplies === true,
      ...(withSecret ? { secret: withSecret } : {}),
    };
  }

  function update(accountId: string, sets: Record<string, unknown>, removes: string[]) {
    const { count: _count, ...set } = setFields(sets, removes);
    return updateExisting(client, TableName, accountKey(accountId), set);
  }

  return {
    secret,

    async get(accountId) {
      const [{ Item }, current] = await Promise.all([
        client.send(new GetCommand({ TableName, Key: accountKey(accountId), ConsistentRead: true })),
        secret(accountId),
      ]);
      return Item ? toSettings(Item, current) : undefined;
    },

    async update(accountId, changes) {
      const sets: Record<string, unknown> = {};
      const removes: string[] = [];
      if (changes.url === null) removes.push('callbackUrl');
      else if (changes.url !== undefined) sets.callbackUrl = changes.url;
      if (changes.deliveryReports !== undefined) sets.deliveryCallbacks = changes.deliveryReports;
      if (changes.replies !== undefined) sets.receivesReplies = changes.replies;
      if (removes.length === 0 && Object.keys(sets).length === 0) {
        const { Item } = await client.send(
          new GetCommand({ TableName, Key: accountKey(accountId), ConsistentRead: true }),
        );
        return Item ? toSettings(Item, await secret(accountId)) : undefined;
      }
      const item = await update(accountId, sets, removes);
      return item ? toSettings(item, await secret(accountId)) : undefined;
    },

    async ensureSecret(accountId, { rotate = false } = {}) {
      const fresh = newSecret();
      try {
        await client.send(
          new PutCommand({
            TableName,
            Item: {
              ...callbackSecretKey(accountId),
              entityType: 'callbackSecret',
              version: 1,
              secret: fresh,
            },
            ...(rotate ? {} : { ConditionExpression: 'attribute_not_exists(pk)' }),
          }),
        );
        return fresh;
      } catch (error) {
        if (!isConditionFailure(error)) throw error;
      }
      return (await secret(accountId)) ?? fresh;
    },

    async setOptOutKeywords(accountId, keywords) {
      const item =
        keywords === null
          ? await update(accountId, {}, ['optOutKeywords'])
          : await update(accountId, { optOutKeywords: keywords }, []);
      return item !== undefined;
    },
  };
}
