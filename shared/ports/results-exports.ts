import type { ResultsExport, ResultsExportStatus } from '#domain/batch/results-export';

/** Results exports, in the caller's partition. `get` never answers an expired export. */
export interface ResultsExportRepository {
  /**
   * Stores `record` and points its dedup `slot` at it, both or neither: only when the slot is free, or
   * (with `replacing`) when it still points at that export. False when the slot's condition failed.
   */
  create(record: ResultsExport, slot: string, replacing?: string): Promise<boolean>;
  /** The id of the export the slot points at (expired or not: the value `create` replaces on). */
  slot(accountId: string, batchId: string, slot: string): Promise<string | undefined>;
  get(accountId: string, batchId: string, exportId: string): Promise<ResultsExport | undefined>;
  /**
   * Moves an export on (status and the fields that come with it) if its status is one of `from`: the
   * export after the change, undefined when there is none or it was in another state.
   */
  update(
    key: { accountId: string; batchId: string; exportId: string },
    changes: Pick<ResultsExport, 'status' | 'updatedAt'> &
      Partial<Pick<ResultsExport, 'fileKey' | 'rows' | 'bytes' | 'reason'>>,
    from: readonly ResultsExportStatus[],
  ): Promise<ResultsExport | undefined>;
}

/** One export to write, on the exports queue. */
export interface ExportJob {
  readonly accountId: string;
  readonly batchId: string;
  readonly exportId: string;
}

export interface ExportQueue {
  enqueue(job: ExportJob): Promise<void>;
}
