import { DomainError } from '#domain/errors';

/**
 * Why an uploaded file cannot be read. Stable: the batch summary and the API answer carry the code, and
 * Step Functions matches the class name (`SpreadsheetRejected`) to end a batch as failed without retrying.
 */
export type SpreadsheetRejectionCode =
  /** Neither an Excel workbook (xlsx, xls) nor a CSV text (PDF, image, HTML, empty zip, a .docx, a .doc…). */
  | 'NOT_A_SPREADSHEET'
  /**
   * A spreadsheet format we do not read: Excel 5.0/95 (`xls-biff5`), .xlsb, OpenDocument, HTML or XML
   * saved as .xls. `details.format` says which.
   */
  | 'UNSUPPORTED_FORMAT'
  /**
   * Password-protected workbook (OLE `EncryptedPackage`, an .xls with a FILEPASS record) or zip entries
   * with the encryption flag.
   */
  | 'ENCRYPTED'
  /**
   * Truncated, inconsistent or malformed: bad zip or compound-file structure, CRC mismatch, broken XML,
   * bad UTF-8, BIFF records SheetJS cannot parse.
   */
  | 'CORRUPT'
  /**
   * Larger than the limits allow, with plausible compression: the file (`maxCompressedBytes`; a CSV:
   * `maxEntryUncompressedBytes`), an entry or all entries inflated, or the shared strings.
   */
  | 'TOO_LARGE'
  /**
   * Built to explode: a compression ratio no spreadsheet has, an entry inflating past its declared
   * size, or zip entries sharing their compressed data.
   */
  | 'ZIP_BOMB'
  | 'TOO_MANY_ENTRIES'
  /** A zip entry named with `..`, an absolute path, a drive letter, a backslash or a NUL. */
  | 'UNSAFE_ENTRY_NAME'
  | 'TOO_MANY_ROWS'
  | 'TOO_MANY_COLUMNS'
  /** A cell longer than `maxCellChars` (Excel's own limit is 32 767 characters). */
  | 'CELL_TOO_LONG'
  /** The file or the chosen sheet holds no non-empty cell. */
  | 'EMPTY'
  | 'SHEET_NOT_FOUND';

/**
 * The uploaded file is refused; nothing in it was (or will be) used. `details` carries what a user needs
 * to fix the file (`{ limit, actual }`, `{ entry }`, `{ rowNumber }`, `{ format }`), never file content
 * beyond that.
 */
export class SpreadsheetRejected extends DomainError {
  readonly code: SpreadsheetRejectionCode;

  constructor(
    code: SpreadsheetRejectionCode,
    message: string,
    options?: { details?: Record<string, unknown>; cause?: unknown },
  ) {
    super(message, options);
    this.code = code;
  }
}

/** Shorthand used throughout the readers. */
export function reject(
  code: SpreadsheetRejectionCode,
  message: string,
  details?: Record<string, unknown>,
  cause?: unknown,
): never {
  throw new SpreadsheetRejected(code, message, { details, cause });
}
