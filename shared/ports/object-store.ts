import type { Readable } from 'node:stream';
import type { ByteSink } from './spreadsheet-writer';

/** Files: uploads and batch chunks. Keys always start with the account id (`objectKeys`). */
export interface ObjectStore {
  /** A URL the client PUTs the file to, with the headers it must send. */
  presignPut(
    key: string,
    contentType: string,
    expiresInSeconds: number,
  ): Promise<{ url: string; headers: Record<string, string> }>;
  /** Size in bytes, or undefined when there is no such object. */
  size(key: string): Promise<number | undefined>;
  read(key: string): Promise<Uint8Array>;
  stream(key: string): Promise<Readable>;
  write(key: string, body: string | Uint8Array, contentType: string): Promise<void>;
  /** Copies an object within the bucket (server-side: the bytes never pass through the function). */
  copy(fromKey: string, toKey: string): Promise<void>;
  /** Deletes an object (no error when there is none); only under prefixes the function's spec may delete. */
  delete(key: string): Promise<void>;
  /** A URL the client GETs the object from, valid `expiresInSeconds` (a download too big to answer inline). */
  presignGet(key: string, expiresInSeconds: number): Promise<string>;
  /**
   * Starts a streamed upload to `key` (an export of any size): bytes written are sent in parts as they
   * come, the object appears only on `complete`, and `abort` discards what was sent.
   */
  upload(key: string, contentType: string): Promise<ObjectUpload>;
}

export interface ObjectUpload extends ByteSink {
  /** Makes the object from every byte written; answers its size in bytes. */
  complete(): Promise<number>;
  abort(): Promise<void>;
}
