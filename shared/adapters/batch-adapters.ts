import { BucketEnv, loadEnv } from '#config/env';
import { makeS3Client } from './s3/client';
import { makeS3ObjectStore } from './s3/object-store';
import { openSpreadsheet } from './spreadsheet/spreadsheet';

/** The upload bucket and the spreadsheet reader, for the batch functions (composition root). */
export function makeFileAdapters(env = loadEnv(BucketEnv)) {
  return {
    files: makeS3ObjectStore({ client: makeS3Client(), bucket: env.UPLOAD_BUCKET }),
    openSpreadsheet: (bytes: Uint8Array) => openSpreadsheet(bytes),
  };
}
