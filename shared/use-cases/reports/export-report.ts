import { ValidationFailed } from '#domain/errors';
import type { Message } from '#domain/message/message';
import { formatMoney } from '#domain/money';
import { reportedCost } from '#domain/report/report';
import type { Clock } from '#ports/clock';
import type { IdGenerator } from '#ports/ids';
import type { ObjectStore } from '#ports/object-store';
import type {
  SpreadsheetCell,
  SpreadsheetColumn,
  SpreadsheetFormat,
  SpreadsheetWriter,
} from '#ports/spreadsheet-writer';
import {
  DOWNLOAD_URL_SECONDS,
  type ExportedResults,
  INLINE_MAX_BYTES,
  XLSX_MAX_ROWS,
} from '../batches/export-results';
import { type MessageSearch, type ReportCaller, type ReportDeps, searchMessages } from './search-messages';
import type { CampaignReport, DestinationReport } from './totals-reports';

export interface ExportDeps {
  readonly files: Pick<ObjectStore, 'write' | 'presignGet'>;
  readonly writers: Readonly<Record<SpreadsheetFormat, SpreadsheetWriter>>;
  readonly ids: IdGenerator;
  readonly clock: Clock;
  /** @default INLINE_MAX_BYTES */
  readonly inlineMaxBytes?: number;
}

/** Rows of a message export; more: narrow the period (the search pages through them all). */
export const EXPORT_MAX_MESSAGES = XLSX_MAX_ROWS;

/**
 * Writes a report as a file with the house writers (every text cell guarded against formula
 * injection): inline up to `INLINE_MAX_BYTES`, else stored under `reports/<owner>/` (the bucket's
 * lifecycle expires it) and answered as a presigned GET, as the batch results export does.
 */
export async function writeReportFile(
  deps: ExportDeps,
  owner: string,
  file: { name: string; format: SpreadsheetFormat; columns: readonly SpreadsheetColumn[] },
  rows: AsyncIterable<readonly SpreadsheetCell[]>,
): Promise<ExportedResults> {
  const writer = deps.writers[file.format];
  const body = await writer.write(file.columns, rows);
  const fileName = `${file.name}.${file.format}`;
  if (body.byteLength <= (deps.inlineMaxBytes ?? INLINE_MAX_BYTES)) {
    return { kind: 'inline', fileName, contentType: writer.contentType, body };
  }
  const key = `reports/${owner}/${deps.ids.newId()}.${file.format}`;
  await deps.files.write(key, body, writer.contentType);
  const url = await deps.files.presignGet(key, DOWNLOAD_URL_SECONDS);
  const expiresAt = new Date(deps.clock.now().getTime() + DOWNLOAD_URL_SECONDS * 1000).toISOString();
  return { kind: 'link', fileName, url, expiresAt };
}

export const MESSAGE_COLUMNS: readonly SpreadsheetColumn[] = [
  { header: 'created at', kind: 'text', width: 26 },
  { header: 'message id', kind: 'text', width: 34 },
  { header: 'campaign', kind: 'text', width: 28 },
  { header: 'to (digits)', kind: 'phone', width: 16 },
  { header: 'from', kind: 'text', width: 12 },
  { header: 'text', kind: 'text', width: 60 },
  { header: 'encoding', kind: 'text', width: 10 },
  { header: 'parts', kind: 'number', width: 7 },
  { header: 'status', kind: 'text', width: 12 },
  { header: 'reason', kind: 'text', width: 26 },
  { header: 'cost', kind: 'text', width: 10 },
  { header: 'currency', kind: 'text', width: 9 },
  { header: 'client reference', kind: 'text', width: 20 },
];

export function messageCells(m: Message): SpreadsheetCell[] {
  return [
    m.createdAt,
    m.id,
    m.batchId,
    m.to,
    m.from,
    m.text,
    m.encoding,
    m.parts,
    m.status,
    m.reason,
    formatMoney(reportedCost(m)),
    m.currency,
    m.clientReference,
  ];
}

/** Every message a search finds (all its pages, newest first), as cells; at most `EXPORT_MAX_MESSAGES`. */
export async function* searchedMessageCells(
  deps: ReportDeps,
  caller: ReportCaller,
  search: Omit<MessageSearch, 'limit' | 'cursor'>,
): AsyncGenerator<SpreadsheetCell[]> {
  let cursor: string | undefined;
  let count = 0;
  do {
    const page = await searchMessages(deps, caller, {
      ...search,
      limit: 1000,
      ...(cursor ? { cursor } : {}),
    });
    count += page.items.length;
    if (count > EXPORT_MAX_MESSAGES) {
      throw new ValidationFailed(
        `An export holds at most ${EXPORT_MAX_MESSAGES} messages: narrow the period`,
      );
    }
    for (const message of page.items) yield messageCells(message);
    cursor = page.cursor;
  } while (cursor);
}

export const TOTALS_COLUMNS: readonly SpreadsheetColumn[] = [
  { header: 'country', kind: 'text', width: 10 },
  { header: 'network', kind: 'text', width: 20 },
  { header: 'messages', kind: 'number', width: 10 },
  { header: 'parts', kind: 'number', width: 10 },
  { header: 'cost', kind: 'text', width: 12 },
];

export async function* destinationCells(report: DestinationReport): AsyncGenerator<SpreadsheetCell[]> {
  for (const line of report.totals.byDestination) {
    yield [line.country, line.network, line.messages, line.parts, formatMoney(line.cost)];
  }
  const { messages, parts, cost } = report.totals;
  yield ['total', undefined, messages, parts, formatMoney(cost)];
}

export const CAMPAIGN_COLUMNS: readonly SpreadsheetColumn[] = [
  { header: 'campaign', kind: 'text', width: 30 },
  { header: 'measure', kind: 'text', width: 20 },
  { header: 'value', kind: 'text', width: 14 },
];

export async function* campaignCells(report: CampaignReport): AsyncGenerator<SpreadsheetCell[]> {
  const name = report.batch.name;
  for (const [status, count] of Object.entries(report.totals.byStatus)) yield [name, status, String(count)];
  yield [name, 'messages charged', String(report.totals.messages)];
  yield [name, 'parts', String(report.totals.parts)];
  yield [name, 'cost', formatMoney(report.totals.cost)];
  yield [name, 'success rate', report.successRate === null ? '' : report.successRate.toFixed(4)];
  for (const line of report.totals.byDestination) {
    yield [name, `cost ${line.country}${line.network ? ` ${line.network}` : ''}`, formatMoney(line.cost)];
  }
}
