import { SendMessageBatchCommand, type SQSClient } from '@aws-sdk/client-sqs';

/** SendMessageBatch takes at most 10 entries. */
const MAX_BATCH = 10;

export interface JsonEntry {
  readonly body: unknown;
  /** SQS DelaySeconds (0–900). */
  readonly delaySeconds?: number;
}

/**
 * Sends JSON bodies in batches of ten (one SQS request per ten messages). Entries SQS reports as failed
 * are retried once, then the call throws: the caller's request fails rather than losing a message.
 */
export async function sendJsonBatch(
  client: SQSClient,
  queueUrl: string,
  items: readonly JsonEntry[],
): Promise<void> {
  for (let start = 0; start < items.length; start += MAX_BATCH) {
    let entries = items.slice(start, start + MAX_BATCH).map((item, i) => ({
      Id: String(i),
      MessageBody: JSON.stringify(item.body),
      ...(item.delaySeconds ? { DelaySeconds: item.delaySeconds } : {}),
    }));
    for (let attempt = 0; entries.length > 0; attempt++) {
      const { Failed } = await client.send(
        new SendMessageBatchCommand({ QueueUrl: queueUrl, Entries: entries }),
      );
      if (!Failed?.length) break;
      if (attempt >= 1)
        throw new Error(`SQS refused ${Failed.length} message(s): ${Failed[0]?.Message ?? ''}`);
      const failedIds = new Set(Failed.map((f) => f.Id));
      entries = entries.filter((e) => failedIds.has(e.Id));
    }
  }
}
