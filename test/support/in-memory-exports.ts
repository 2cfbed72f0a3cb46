import type { ResultsExport } from '#domain/batch/results-export';
import type { ObjectStore, ObjectUpload } from '#ports/object-store';
import type { ExportJob, ExportQueue, ResultsExportRepository } from '#ports/results-exports';

/** Exports and slots in maps, with the DynamoDB adapter's conditions (both writes or neither). */
export class InMemoryResultsExports implements ResultsExportRepository {
  readonly exports = new Map<string, ResultsExport>();
  readonly slots = new Map<string, string>();
  constructor(private readonly now: () => Date = () => new Date()) {}

  async create(record: ResultsExport, slot: string, replacing?: string) {
    const slotKey = `${record.accountId}/${record.batchId}/${slot}`;
    const held = this.slots.get(slotKey);
    if (replacing === undefined ? held !== undefined : held !== replacing) return false;
    this.exports.set(`${record.accountId}/${record.batchId}/${record.id}`, record);
    this.slots.set(slotKey, record.id);
    return true;
  }
  async slot(accountId: string, batchId: string, slot: string) {
    return this.slots.get(`${accountId}/${batchId}/${slot}`);
  }
  async get(accountId: string, batchId: string, exportId: string) {
    const found = this.exports.get(`${accountId}/${batchId}/${exportId}`);
    return found && Date.parse(found.expiresAt) > this.now().getTime() ? found : undefined;
  }
  async update(
    key: { accountId: string; batchId: string; exportId: string },
    changes: Partial<ResultsExport>,
    from: readonly ResultsExport['status'][],
  ) {
    const id = `${key.accountId}/${key.batchId}/${key.exportId}`;
    const found = this.exports.get(id);
    if (!found || !from.includes(found.status)) return undefined;
    const next = { ...found, ...changes } as ResultsExport;
    this.exports.set(id, next);
    return next;
  }
}

export class RecordingExportQueue implements ExportQueue {
  readonly jobs: ExportJob[] = [];
  failWith?: Error;
  async enqueue(job: ExportJob) {
    if (this.failWith) throw this.failWith;
    this.jobs.push(job);
  }
}

/**
 * Objects in a map, with streamed uploads: the object appears on `complete`, an aborted one never does.
 * `failAfterBytes` makes a write fail once that many bytes were written (a broken upload).
 */
export class InMemoryObjects implements Pick<ObjectStore, 'read' | 'upload' | 'presignGet' | 'write'> {
  readonly objects = new Map<string, { bytes: Uint8Array; contentType: string }>();
  readonly aborted: string[] = [];
  failAfterBytes?: number;

  async read(key: string) {
    const found = this.objects.get(key);
    if (!found) throw new Error(`no object ${key}`);
    return found.bytes;
  }
  async write(key: string, body: string | Uint8Array, contentType: string) {
    this.objects.set(key, {
      bytes: typeof body === 'string' ? new TextEncoder().encode(body) : body,
      contentType,
    });
  }
  async presignGet(key: string, seconds: number) {
    return `https://s3.example/${key}?expires=${seconds}`;
  }
  async upload(key: string, contentType: string): Promise<ObjectUpload> {
    const parts: Uint8Array[] = [];
    let written = 0;
    return {
      write: async (chunk) => {
        written += chunk.byteLength;
        if (this.failAfterBytes !== undefined && written > this.failAfterBytes) throw new Error('S3 is down');
        parts.push(chunk);
      },
      complete: async () => {
        const bytes = new Uint8Array(Buffer.concat(parts));
        this.objects.set(key, { bytes, contentType });
        return bytes.byteLength;
      },
      abort: async () => {
        this.aborted.push(key);
      },
    };
  }
}
