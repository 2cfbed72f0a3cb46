import { BucketEnv, loadEnv } from '#config/env';
import type { OpenedSpreadsheet } from '#ports/spreadsheet';
import { makeS3Client } from './s3/client';
import { makeS3ObjectStore } from './s3/object-store';

/** The upload bucket, for functions that move files but never read a spreadsheet. */
export function makeFileStore(env = loadEnv(BucketEnv)) {
  return makeS3ObjectStore({ client: makeS3Client(), bucket: env.UPLOAD_BUCKET });
}

/**
 * The upload bucket and the spreadsheet reader, for the functions that read uploaded files (composition
 * root). The reader is imported when first used, so a function that only takes `files` from here does
 * not evaluate it (nor SheetJS, which the .xls reader imports) at cold start.
 */
export function makeFileAdapters(env = loadEnv(BucketEnv)) {
  return {
    files: makeFileStore(env),
    openSpreadsheet: async (bytes: Uint8Array): Promise<OpenedSpreadsheet> =>
      (await import('./spreadsheet/spreadsheet')).openSpreadsheet(bytes),
  };
}
