/**
 * Local S3 → EventBridge → Lambda, for S3 file drops: fauxqs stores objects but sends no event
 * notifications, so this watches its message spy for uploads (PutObject, POST, CompleteMultipartUpload,
 * CopyObject) and delivers what the deployed wiring would: an EventBridge "Object Created" event of
 * `aws.s3`, for the keys the rule's pattern (`DROP_SIDECAR_PATTERN` of the CDK's `FileDropTrigger`) takes,
 * to the handler, invoked asynchronously (not awaited by the upload; a failed invocation is retried twice,
 * as Lambda retries asynchronous invocations).
 *
 * Differences from AWS:
 * - Delivered once, at once (AWS: at least once, usually within seconds).
 * - `sequencer` is made up locally (hex, increasing within the process), `request-id` is random and
 *   `reason` is always `PutObject`.
 * - The spy keeps its last 100 events: a backlog that long while the bridge is busy is still delivered
 *   (the bridge waits again right after each event), but `spy.clear()` by a test drops what it clears.
 */
import { randomUUID } from 'node:crypto';
import { HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import type { Context, S3ObjectCreatedNotificationEvent } from 'aws-lambda';
import type { MessageSpyReader, S3SpyEvent, SpyMessage } from 'fauxqs';
import { LOCAL_ACCOUNT_ID, LOCAL_REGION } from './sqs-poller';

export interface S3EventBridgeOptions {
  readonly spy: MessageSpyReader;
  /** fauxqs' endpoint (for the object's size and ETag). */
  readonly endpoint: string;
  readonly bucket: string;
  /** An EventBridge `wildcard` pattern on the object key (`*`: any characters, `/` included). */
  readonly keyPattern: string;
  readonly deliver: (event: S3ObjectCreatedNotificationEvent, context: Context) => Promise<unknown>;
  readonly context: () => Context;
  readonly onError?: (error: unknown, key: string) => void;
  /** Pause before each retry of a failed invocation (Lambda: 1 and 2 minutes). @default [200, 1000] */
  readonly retryDelaysMs?: readonly number[];
}

/** How S3 writes a key into an event: form-style URL encoding (`a b+c` → `a+b%2Bc`), `/` kept. */
export function encodeS3Key(key: string): string {
  return key
    .split('/')
    .map((segment) => encodeURIComponent(segment).replace(/%20/g, '+'))
    .join('/');
}

export function wildcardMatcher(pattern: string): (value: string) => boolean {
  const escaped = pattern.split('*').map((part) => part.replace(/[.?+^$()[\]{}|\\]/g, '\\$&'));
  const regex = new RegExp(`^${escaped.join('.*')}$`, 's');
  return (value) => regex.test(value);
}

export function startS3EventBridge(options: S3EventBridgeOptions): { stop(): Promise<void> } {
  const s3 = new S3Client({ endpoint: options.endpoint, forcePathStyle: true, region: LOCAL_REGION });
  const matches = wildcardMatcher(options.keyPattern);
  const delays = options.retryDelaysMs ?? [200, 1000];
  const since = Date.now();
  const seen = new WeakSet<object>();
  const inFlight = new Set<Promise<void>>();
  let sequence = 0;
  let stopped = false;

  const isDrop = (m: SpyMessage): m is S3SpyEvent =>
    m.service === 's3' &&
    m.status === 'uploaded' &&
    m.bucket === options.bucket &&
    m.timestamp >= since &&
    !seen.has(m) &&
    matches(m.key);

  async function eventOf(upload: S3SpyEvent): Promise<S3ObjectCreatedNotificationEvent> {
    const head = await s3
      .send(new HeadObjectCommand({ Bucket: upload.bucket, Key: upload.key }))
      .catch(() => undefined);
    sequence += 1;
    return {
      version: '0',
      id: randomUUID(),
      'detail-type': 'Object Created',
      source: 'aws.s3',
      account: LOCAL_ACCOUNT_ID,
      time: new Date(upload.timestamp).toISOString().replace(/\.\d{3}Z$/, 'Z'),
      region: LOCAL_REGION,
      resources: [`arn:aws:s3:::${upload.bucket}`],
      detail: {
        version: '0',
        bucket: { name: upload.bucket },
        object: {
          key: encodeS3Key(upload.key),
          size: head?.ContentLength ?? 0,
          etag: (head?.ETag ?? '').replace(/"/g, ''),
          'version-id': head?.VersionId ?? '',
          sequencer:
            `${upload.timestamp.toString(16)}${sequence.toString(16).padStart(8, '0')}`.toUpperCase(),
        },
        'request-id': randomUUID().replace(/-/g, '').slice(0, 16).toUpperCase(),
        requester: LOCAL_ACCOUNT_ID,
        'source-ip-address': '127.0.0.1',
        reason: 'PutObject',
      },
    };
  }

  async function deliver(upload: S3SpyEvent): Promise<void> {
    const event = await eventOf(upload);
    for (let attempt = 0; ; attempt++) {
      try {
        await options.deliver(event, options.context());
        return;
      } catch (error) {
        options.onError?.(error, upload.key);
        const delay = delays[attempt];
        if (delay === undefined || stopped) return;
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  void (async () => {
    while (!stopped) {
      let upload: S3SpyEvent;
      try {
        upload = (await options.spy.waitForMessage(isDrop)) as S3SpyEvent;
      } catch {
        // The spy was cleared (its waiters are rejected): wait again.
        await new Promise((resolve) => setTimeout(resolve, 10));
        continue;
      }
      seen.add(upload);
      if (stopped) break;
      const delivery: Promise<void> = deliver(upload)
        .catch((error: unknown) => options.onError?.(error, upload.key))
        .finally(() => inFlight.delete(delivery));
      inFlight.add(delivery);
    }
  })();

  return {
    async stop() {
      stopped = true;
      await Promise.allSettled([...inFlight]);
      s3.destroy();
    },
  };
}
