import type { Readable } from 'node:stream';
import {
  CopyObjectCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  NoSuchKey,
  NotFound,
  PutObjectCommand,
  type S3Client,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import type { ObjectStore } from '#ports/object-store';
import { startMultipartUpload } from './multipart-upload';

/** The upload bucket behind the `ObjectStore` port. */
export function makeS3ObjectStore(options: { client: S3Client; bucket: string }): ObjectStore {
  const { client, bucket: Bucket } = options;
  return {
    async presignPut(key, contentType, expiresInSeconds) {
      const url = await getSignedUrl(
        client,
        new PutObjectCommand({ Bucket, Key: key, ContentType: contentType }),
        {
          expiresIn: expiresInSeconds,
          // The content type is signed: the client must send exactly this header.
          signableHeaders: new Set(['content-type']),
        },
      );
      return { url, headers: { 'content-type': contentType } };
    },

    async size(key) {
      try {
        const head = await client.send(new HeadObjectCommand({ Bucket, Key: key }));
        return head.ContentLength ?? 0;
      } catch (error) {
        if (error instanceof NotFound || error instanceof NoSuchKey) return undefined;
        throw error;
      }
    },

    async read(key) {
      const { Body } = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if (!Body) throw new Error(`Empty object ${key}`);
      return new Uint8Array(await Body.transformToByteArray());
    },

    async stream(key) {
      const { Body } = await client.send(new GetObjectCommand({ Bucket, Key: key }));
      if (!Body) throw new Error(`Empty object ${key}`);
      return Body as Readable;
    },

    async write(key, body, contentType) {
      await client.send(new PutObjectCommand({ Bucket, Key: key, Body: body, ContentType: contentType }));
    },

    async copy(fromKey, toKey) {
      await client.send(
        new CopyObjectCommand({
          Bucket,
          Key: toKey,
          // The copy source is `bucket/key`, URL-encoded (keys may hold spaces and non-ASCII names).
          CopySource: `${Bucket}/${fromKey.split('/').map(encodeURIComponent).join('/')}`,
        }),
      );
    },

    async delete(key) {
      await client.send(new DeleteObjectCommand({ Bucket, Key: key }));
    },

    async presignGet(key, expiresInSeconds) {
      return getSignedUrl(client, new GetObjectCommand({ Bucket, Key: key }), {
        expiresIn: expiresInSeconds,
      });
    },

    upload(key, contentType) {
      return startMultipartUpload({ client, bucket: Bucket, key, contentType });
    },
  };
}
