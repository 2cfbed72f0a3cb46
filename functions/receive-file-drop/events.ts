import type { S3Event, S3ObjectCreatedNotificationEvent } from 'aws-lambda';

/** What the deployed wiring delivers (EventBridge "Object Created"), or a direct S3 notification. */
export type FileDropEvent = S3ObjectCreatedNotificationEvent | S3Event;

export interface DroppedObject {
  readonly bucket: string;
  /** The object key as stored (URL-decoded). */
  readonly key: string;
  readonly sequencer?: string;
}

/**
 * S3 URL-encodes object keys in its events the way HTML forms do (`red flower.jpg` → `red+flower.jpg`,
 * a real `+` → `%2B`). A key that does not decode (a stray `%`) is taken as it is.
 */
export function decodeS3Key(key: string): string {
  try {
    return decodeURIComponent(key.replace(/\+/g, ' '));
  } catch {
    return key;
  }
}

/** The objects an event reports as created, whichever of the two shapes it has. */
export function droppedObjects(event: FileDropEvent): DroppedObject[] {
  if ('Records' in event) {
    return (event.Records ?? [])
      .filter((r) => r.eventName?.startsWith('ObjectCreated:'))
      .map((r) => ({
        bucket: r.s3.bucket.name,
        key: decodeS3Key(r.s3.object.key),
        ...(r.s3.object.sequencer ? { sequencer: r.s3.object.sequencer } : {}),
      }));
  }
  if (event.source !== 'aws.s3' || event['detail-type'] !== 'Object Created') return [];
  const { bucket, object } = event.detail;
  return [
    {
      bucket: bucket.name,
      key: decodeS3Key(object.key),
      ...(object.sequencer ? { sequencer: object.sequencer } : {}),
    },
  ];
}

/** Only sidecars under `drops/<accountId>/` start anything; the data files beside them wait for theirs. */
export function isDropSidecar(key: string): boolean {
  return /^drops\/[^/]+\/.+\.json$/.test(key);
}
