/**
 * An import of numbers from an uploaded file into an account's blocklist. Small files are imported within
 * the request (its report is the answer); larger ones run in the import-blocklist workflow and are kept as
 * a `BlocklistImport` the caller polls (`GET /v1/blocklist/imports/{id}`).
 */
export type BlocklistImportStatus = 'running' | 'completed' | 'failed';

/** What an import found and did; the same fields whether answered at once or read back when done. */
export interface BlocklistImportReport {
  readonly rows: number;
  readonly added: number;
  /** Repeated in the file, or already on the list. */
  readonly duplicates: number;
  readonly alreadyListed: number;
  readonly invalid: number;
  /** The first {@link INVALID_ROWS_SHOWN}; all are counted in `invalid`. */
  readonly invalidRows: readonly { row: number; reason: string }[];
}

export const INVALID_ROWS_SHOWN = 100;

/** The file's counts, known once the workflow has read it (before any number is written). */
export interface BlocklistImportParse {
  readonly rows: number;
  readonly invalid: number;
  /** Rows whose number appeared earlier in the file. */
  readonly repeats: number;
  /** Distinct valid numbers: what the chunks hold. */
  readonly unique: number;
  readonly chunks: number;
  readonly invalidRows: readonly { row: number; reason: string }[];
}

export interface BlocklistImport {
  readonly id: string;
  readonly accountId: string;
  readonly uploadId: string;
  readonly phoneColumn: string;
  readonly firstRow: number;
  readonly sheet?: string | number;
  /** The note every added entry carries (the request's `reason`). */
  readonly reason?: string;
  readonly status: BlocklistImportStatus;
  readonly createdAt: string;
  readonly updatedAt?: string;
  readonly parse?: BlocklistImportParse;
  /** Numbers added per chunk index, recorded by each chunk (a re-run records the same value again). */
  readonly chunkAdded: Readonly<Record<string, number>>;
  readonly report?: BlocklistImportReport;
  /** Why a `failed` import stopped. */
  readonly failure?: string;
}

/** The `createdBy` of the entries an import adds: how a re-run chunk recognises its own earlier writes. */
export const importMarker = (importId: string) => `import:${importId}`;

/** The final report from the parse counts and what the chunks added. */
export function importReport(parse: BlocklistImportParse, added: number): BlocklistImportReport {
  const alreadyListed = parse.unique - added;
  return {
    rows: parse.rows,
    added,
    duplicates: parse.repeats + alreadyListed,
    alreadyListed,
    invalid: parse.invalid,
    invalidRows: parse.invalidRows,
  };
}
