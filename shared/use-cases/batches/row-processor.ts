import { createHash } from 'node:crypto';
import { type Account, resolveSender } from '#domain/account/account';
import { type Batch, type BatchMapping, type BatchRow, MAX_CLIENT_REFERENCE } from '#domain/batch/batch';
import { isCallbackUrl } from '#domain/callbacks/callback';
import { type CompiledTemplate, compileTemplate } from '#domain/message/template';
import { makePhoneNumberNormaliser } from '#domain/phone/phone-number';
import { validateSenderId } from '#domain/sender/sender-id';
import type { CellValue, SheetRow } from '#ports/spreadsheet';
import { cellText, columnNumber } from '../files/sheet-chunks';

/** What a row's checks need besides the batch: the account's country and senders, the platform's sender. */
export interface RowContext {
  readonly account: Pick<Account, 'country' | 'senderIds'>;
  readonly platformSender?: string;
}

/** Thrown for a file or mapping the batch cannot be made from; the workflow fails the batch with it. */
export class BatchFileRejected extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'BatchFileRejected';
  }
}

type Check<T> = { ok: true; value: T } | { ok: false; reason: string };

/** Distinct message-cell templates kept compiled: most files repeat a few texts; a file of unique ones just recompiles. */
const TEMPLATE_CACHE = 256;

/**
 * The per-row step of the parse: number, duplicates, text, and the row's own sender, client reference
 * and report URL when the mapping names their columns. `headers` are the cells of the row above
 * `firstRow`. A row gets `from`/`clientReference`/`reportUrl` only when it has them, so a plain row's
 * chunk line, job and message item are what they were without these columns (docs/cost.md).
 */
export function rowProcessor(
  batch: Pick<Batch, 'options'>,
  mapping: BatchMapping,
  context: RowContext,
  headers: readonly string[],
): (row: SheetRow) => BatchRow {
  const { options } = batch;
  const phone = columnNumber(mapping.phoneColumn);
  const normalise = makePhoneNumberNormaliser({
    defaultCountry: context.account.country,
    requireMobile: true,
  });
  const seenNumbers = new Set<string>();
  const seenMessages = new Set<string>();
  const render = textRenderer(batch, mapping, headers);
  const sender = optionalCell(mapping.senderColumn, (value) => rowSender(value, context));
  const reference = optionalCell(mapping.clientReferenceColumn, clientReference);
  const reportUrl = optionalCell(mapping.reportUrlColumn, (value) =>
    isCallbackUrl(value) ? { ok: true, value } : { ok: false, reason: 'INVALID_REPORT_URL' },
  );
  return (row) => {
    const raw = row.cells[phone];
    const number = normalise(
      typeof raw === 'number' || typeof raw === 'string' ? raw : (cellText(raw) ?? null),
    );
    if (!number.ok)
      return { row: row.rowNumber, status: 'invalid', reason: `INVALID_NUMBER:${number.reason}` };
    const to = number.e164;
    if (options.dedup) {
      if (seenNumbers.has(to)) return { row: row.rowNumber, to, status: 'duplicate' };
      seenNumbers.add(to);
    }
    const invalid = (reason: string): BatchRow => ({ row: row.rowNumber, to, status: 'invalid', reason });
    const text = render(row.cells);
    if (!text.ok) return invalid(text.reason);
    const from = sender(row.cells);
    if (!from.ok) return invalid(from.reason);
    const ref = reference(row.cells);
    if (!ref.ok) return invalid(ref.reason);
    const url = reportUrl(row.cells);
    if (!url.ok) return invalid(url.reason);
    const rowFrom = from.value === undefined || from.value === options.from ? undefined : from.value;
    if (options.dedupMessages) {
      // A digest, not the text itself: a million long texts would not fit the parser's memory.
      const key = createHash('sha256')
        .update(`${to}\n${rowFrom ?? options.from}\n${text.value}`)
        .digest('base64');
      if (seenMessages.has(key)) return { row: row.rowNumber, to, status: 'duplicate' };
      seenMessages.add(key);
    }
    return {
      row: row.rowNumber,
      to,
      text: text.value,
      status: 'ok',
      ...(rowFrom === undefined ? {} : { from: rowFrom }),
      ...(ref.value === undefined ? {} : { clientReference: ref.value }),
      ...(url.value === undefined ? {} : { reportUrl: url.value }),
    };
  };
}

/** A row's text: its message cell (rendered when the mapping says so) or the batch's template. */
function textRenderer(
  batch: Pick<Batch, 'options'>,
  mapping: BatchMapping,
  headers: readonly string[],
): (cells: readonly CellValue[]) => Check<string> {
  const missing = batch.options.missingValues;
  if (mapping.messageColumn !== undefined) {
    const column = columnNumber(mapping.messageColumn);
    if (!mapping.messagePlaceholders) {
      return (cells) => {
        const text = cellText(cells[column]);
        return text === undefined ? { ok: false, reason: 'EMPTY_TEXT' } : { ok: true, value: text };
      };
    }
    // The placeholders are the row's other columns: not the ones mapped to a role (number, text, ...).
    const mapped = new Set(
      [
        mapping.phoneColumn,
        mapping.messageColumn,
        mapping.senderColumn,
        mapping.clientReferenceColumn,
        mapping.reportUrlColumn,
      ]
        .filter((c): c is string => c !== undefined)
        .map(columnNumber),
    );
    const columns = headers.flatMap((header, i) => (header === '' || mapped.has(i) ? [] : [{ header, i }]));
    const names = columns.map((c) => c.header);
    const compiled = new Map<string, CompiledTemplate>();
    return (cells) => {
      const cell = cellText(cells[column]);
      if (cell === undefined) return { ok: false, reason: 'EMPTY_TEXT' };
      if (!cell.includes('#')) return { ok: true, value: cell };
      let template = compiled.get(cell);
      if (!template) {
        if (compiled.size >= TEMPLATE_CACHE) compiled.clear();
        template = compileTemplate(cell, names, { unknown: 'literal' });
        compiled.set(cell, template);
      }
      return renderRow(template, columns, cells, missing);
    };
  }
  const template = compileTemplate(mapping.text ?? '', headers);
  if (!template.ok) {
    throw new BatchFileRejected(
      template.code,
      `Placeholders not among the headers: ${template.names.join(', ')}`,
    );
  }
  const columns = headers.map((header, i) => ({ header, i }));
  return (cells) => renderRow(template, columns, cells, missing);
}

function renderRow(
  template: CompiledTemplate,
  columns: readonly { header: string; i: number }[],
  cells: readonly CellValue[],
  missing: 'empty' | 'error',
): Check<string> {
  if (!template.ok) return { ok: false, reason: template.code };
  // A Map-like null-prototype record: headers such as __proto__ are plain keys here.
  const values: Record<string, string | undefined> = Object.create(null);
  for (const { header, i } of columns) values[header] = cellText(cells[i]);
  const result = template.render(values, { missing });
  return result.ok ? { ok: true, value: result.text } : { ok: false, reason: 'MISSING_VALUES' };
}

/** A column's trimmed cell through `check`; no column or an empty cell → no value (the batch's default). */
function optionalCell<T>(
  column: string | undefined,
  check: (value: string) => Check<T>,
): (cells: readonly CellValue[]) => Check<T | undefined> {
  if (column === undefined) return () => ({ ok: true, value: undefined });
  const index = columnNumber(column);
  return (cells) => {
    const value = cellText(cells[index])?.trim();
    return value === undefined || value === '' ? { ok: true, value: undefined } : check(value);
  };
}

/** The same rule as a single send's `from`: an approved sender ID of the account (or the platform's). */
function rowSender(value: string, context: RowContext): Check<string> {
  const syntax = validateSenderId(value);
  const sender = resolveSender(context.account, syntax.ok ? syntax.value : value, context.platformSender);
  return sender.ok ? { ok: true, value: sender.sender } : { ok: false, reason: 'SENDER_NOT_ALLOWED' };
}

function clientReference(value: string): Check<string> {
  return value.length <= MAX_CLIENT_REFERENCE
    ? { ok: true, value }
    : { ok: false, reason: 'CLIENT_REFERENCE_TOO_LONG' };
}
