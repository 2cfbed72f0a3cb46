/** What the batch pipeline needs from a spreadsheet reader (`adapters/spreadsheet` provides it). */
export type CellValue = string | number | boolean | Date | null;

export interface SheetRow {
  /** 1-based, as Excel shows it. */
  readonly rowNumber: number;
  /** Index 0 = column A. */
  readonly cells: readonly CellValue[];
}

export interface OpenedSpreadsheet {
  readonly format: 'xlsx' | 'xls' | 'csv';
  readonly sheets: readonly { name: string; hidden: boolean; index: number }[];
  rowBatches(options?: { sheet?: string | number; maxRows?: number }): AsyncGenerator<SheetRow[]>;
}

export type OpenSpreadsheet = (bytes: Uint8Array) => Promise<OpenedSpreadsheet>;
