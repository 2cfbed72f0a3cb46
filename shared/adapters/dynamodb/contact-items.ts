import { BatchWriteCommand, type DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { type Contact, type ContactGroup, searchText } from '#domain/contacts/contact';

/** A group: in the account's partition, so listing an account's groups is one Query. */
export const groupKey = (accountId: string, groupId: string) => ({
  pk: `ACCOUNT#${accountId}`,
  sk: `GROUP#${groupId}`,
});

/** A group's contacts share one partition: a number is once per group; prefix search is a key condition. */
export const contactPk = (accountId: string, groupId: string) => `ACCOUNT#${accountId}#GROUP#${groupId}`;
export const contactKey = (accountId: string, groupId: string, phone: string) => ({
  pk: contactPk(accountId, groupId),
  sk: `CONTACT#${phone}`,
});

export function contactItem(accountId: string, groupId: string, contact: Contact) {
  return {
    ...contactKey(accountId, groupId, contact.phone),
    entityType: 'contact',
    version: 1,
    ...contact,
    search: searchText(contact),
  };
}

export function toContact(item: Record<string, unknown>): Contact {
  const { pk: _p, sk: _s, entityType: _e, version: _v, search: _x, ...contact } = item;
  return contact as unknown as Contact;
}

/** `fieldNames` (its file's headers) with `customFields` (names added contact by contact, a string set). */
export function toGroup(item: Record<string, unknown>): ContactGroup {
  const { pk: _p, sk: _s, entityType: _e, version: _v, customFields, ...group } = item;
  const names = new Set([
    ...((group.fieldNames as string[] | undefined) ?? []),
    ...((customFields as Set<string>) ?? []),
  ]);
  return { ...group, fieldNames: [...names] } as unknown as ContactGroup;
}

/**
 * BatchWriteItem in requests of 25 (its limit), a few at a time, retrying what DynamoDB leaves
 * unprocessed (throttling) with backoff: the SDK does not retry those.
 */
export async function batchWrite(
  client: DynamoDBDocumentClient,
  TableName: string,
  requests: readonly Record<string, unknown>[],
  concurrency = 4,
): Promise<void> {
  const groups: Record<string, unknown>[][] = [];
  for (let i = 0; i < requests.length; i += 25) groups.push(requests.slice(i, i + 25));
  const run = async (items: Record<string, unknown>[]) => {
    let pending = items;
    for (let attempt = 0; pending.length > 0; attempt++) {
      if (attempt > 8) throw new Error('BatchWriteItem left items unprocessed after 8 retries');
      if (attempt > 0) await new Promise((r) => setTimeout(r, Math.random() * 50 * 2 ** attempt));
      const { UnprocessedItems } = await client.send(
        new BatchWriteCommand({ RequestItems: { [TableName]: pending } }),
      );
      pending = (UnprocessedItems?.[TableName] ?? []) as Record<string, unknown>[];
    }
  };
  for (let i = 0; i < groups.length; i += concurrency) {
    await Promise.all(groups.slice(i, i + concurrency).map(run));
  }
}
