import { ChangeMessageVisibilityCommand, GetQueueUrlCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { SQSRecord } from 'aws-lambda';

const urls = new Map<string, Promise<string>>();

/** The queue URL of a record's source queue (GetQueueUrl once per queue per cold start). */
function queueUrlOf(client: SQSClient, arn: string): Promise<string> {
  let url = urls.get(arn);
  if (!url) {
    const [, , , , owner, name] = arn.split(':');
    url = client
      .send(new GetQueueUrlCommand({ QueueName: name, QueueOwnerAWSAccountId: owner }))
      .then((r) => r.QueueUrl ?? Promise.reject(new Error(`No URL for ${arn}`)));
    urls.set(arn, url);
  }
  return url;
}

/**
 * Makes a failed record visible again after `seconds` instead of the queue's long visibility timeout
 * (which must stay ≥ 6× the function timeout): retries come back soon and back off, and throttling
 * slows the sender down without losing anything. Best effort: if it fails, the queue's timeout applies.
 */
export async function retryAfter(client: SQSClient, record: SQSRecord, seconds: number): Promise<void> {
  try {
    await client.send(
      new ChangeMessageVisibilityCommand({
        QueueUrl: await queueUrlOf(client, record.eventSourceARN),
        ReceiptHandle: record.receiptHandle,
        VisibilityTimeout: Math.max(0, Math.min(43_200, Math.ceil(seconds))),
      }),
    );
  } catch {
    // Keep the queue's own visibility timeout.
  }
}

/** Exponential backoff by receive count: 1, 2, 4, 8 … seconds, at most `max`. */
export function backoffSeconds(record: SQSRecord, max = 300): number {
  const receives = Number(record.attributes.ApproximateReceiveCount) || 1;
  return Math.min(max, 2 ** (receives - 1));
}
