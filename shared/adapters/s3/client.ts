import { S3Client } from '@aws-sdk/client-s3';
import { instrument } from '#observability/instrument';

/**
 * One S3 client per cold start. Locally `AWS_ENDPOINT_URL_S3` points at fauxqs (through
 * local/s3-upload-proxy.ts), which needs path-style addressing (bucket in the path, not the host name) for
 * presigned URLs to resolve.
 */
export function makeS3Client(
  client = new S3Client(process.env.AWS_ENDPOINT_URL_S3 ? { forcePathStyle: true } : {}),
): S3Client {
  return instrument(client, 'S3');
}
