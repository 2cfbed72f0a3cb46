import {
  AbortMultipartUploadCommand,
  type CompletedPart,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  type S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import type { ObjectUpload } from '#ports/object-store';

/**
 * Bytes per part. S3 wants at least 5 MiB in every part but the last and at most 10,000 parts: 8 MiB
 * parts allow files up to ~78 GiB (a 1M-row xlsx is ~100 MB), and one part is all this holds in memory.
 */
export const PART_BYTES = 8 * 1024 * 1024;

/**
 * A streamed S3 upload with the multipart API, one part at a time: `write` buffers up to `partBytes`,
 * then awaits the part's upload, so the writer upstream waits for S3 (backpressure) and memory stays at
 * about one part. Hand-written over `@aws-sdk/lib-storage`'s `Upload` (not a dependency of the project):
 * this needs only sequential parts, ~40 lines, no extra package in every function bundle.
 */
export async function startMultipartUpload(options: {
  client: S3Client;
  bucket: string;
  key: string;
  contentType: string;
  partBytes?: number;
}): Promise<ObjectUpload> {
  const { client, bucket: Bucket, key: Key } = options;
  const partBytes = options.partBytes ?? PART_BYTES;
  const { UploadId } = await client.send(
    new CreateMultipartUploadCommand({ Bucket, Key, ContentType: options.contentType }),
  );
  if (!UploadId) throw new Error(`S3 gave no upload id for ${Key}`);
  const parts: CompletedPart[] = [];
  let buffered: Uint8Array[] = [];
  let bufferedBytes = 0;
  let total = 0;

  const sendPart = async () => {
    const Body = Buffer.concat(buffered, bufferedBytes);
    buffered = [];
    bufferedBytes = 0;
    const PartNumber = parts.length + 1;
    const { ETag } = await client.send(new UploadPartCommand({ Bucket, Key, UploadId, PartNumber, Body }));
    parts.push({ ETag, PartNumber });
  };

  return {
    async write(chunk) {
      if (chunk.byteLength === 0) return;
      buffered.push(chunk);
      bufferedBytes += chunk.byteLength;
      total += chunk.byteLength;
      if (bufferedBytes >= partBytes) await sendPart();
    },
    async complete() {
      // The last part may be small; an empty file still needs one (empty) part.
      if (bufferedBytes > 0 || parts.length === 0) await sendPart();
      await client.send(
        new CompleteMultipartUploadCommand({ Bucket, Key, UploadId, MultipartUpload: { Parts: parts } }),
      );
      return total;
    },
    async abort() {
      buffered = [];
      await client.send(new AbortMultipartUploadCommand({ Bucket, Key, UploadId }));
    },
  };
}
