import { makeFileStore } from '#adapters/batch-adapters';
import { cryptoIds } from '#adapters/crypto/ids';
import { makeDynamoReportSources } from '#adapters/dynamodb/report-sources';
import { csvWriter } from '#adapters/spreadsheet-writer/csv-writer';
import { makeXlsxWriter } from '#adapters/spreadsheet-writer/xlsx-writer';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { loadEnv, TableEnv } from '#config/env';
import { customerRoutes } from '#http/api-handler';
import { fileDownload, safeFileName } from '#http/download';
import { json } from '#http/json';
import { ReportPeriodQuery, ReportQuery, ReportSearchQuery } from '#http/list-queries';
import { campaignReportView, destinationReportView, reportMessageView } from '#http/report-presenters';
import { parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import type { ExportedResults } from '#use-cases/batches/export-results';
import {
  CAMPAIGN_COLUMNS,
  campaignCells,
  destinationCells,
  MESSAGE_COLUMNS,
  messageCells,
  searchedMessageCells,
  TOTALS_COLUMNS,
  writeReportFile,
} from '#use-cases/reports/export-report';
import { searchMessages } from '#use-cases/reports/search-messages';
import { campaignReport, destinationReport } from '#use-cases/reports/totals-reports';

const table = makeTableAdapters();
const files = makeFileStore();
const deps = {
  ...table,
  files,
  sources: makeDynamoReportSources({ client: table.client, tableName: loadEnv(TableEnv).TABLE_NAME }),
  prices: makePlatformAdapters(undefined, { client: table.client }).priceLists,
  writers: { csv: csvWriter, xlsx: makeXlsxWriter() },
  ids: cryptoIds,
  clock: systemClock,
};

/** Drops the absent optional fields (exactOptionalPropertyTypes-friendly). */
function defined<T extends Record<string, unknown>>(value: T): { [K in keyof T]: Exclude<T[K], undefined> } {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as never;
}

function fileAnswer(file: ExportedResults) {
  if (file.kind === 'inline') return fileDownload(file);
  return json(200, { url: file.url, expiresAt: file.expiresAt, fileName: safeFileName(file.fileName) });
}

/** `/v1/reports/*`: message search, the latest messages, per-campaign and per-destination totals; csv/xlsx. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'GET /v1/reports/messages': async (event) => {
      const { format, ...query } = parseQuery(event, ReportSearchQuery);
      if (format !== 'json') {
        const { limit: _l, cursor: _c, ...search } = defined(query);
        const owner = event.caller.accountId;
        const rows = searchedMessageCells(deps, event.caller, search);
        return fileAnswer(
          await writeReportFile(
            deps,
            search.subuser ?? owner,
            { name: 'messages', format, columns: MESSAGE_COLUMNS },
            rows,
          ),
        );
      }
      const page = await searchMessages(deps, event.caller, defined(query));
      return json(200, {
        ...(page.period ? { period: page.period } : {}),
        items: page.items.map(reportMessageView),
        ...(page.cursor ? { cursor: page.cursor } : {}),
      });
    },
    'GET /v1/reports/messages/latest': async (event) => {
      const { subuser, format } = parseQuery(event, ReportQuery);
      const page = await searchMessages(deps, event.caller, { limit: 10, ...(subuser ? { subuser } : {}) });
      if (format === 'json') return json(200, { items: page.items.map(reportMessageView) });
      return fileAnswer(
        await writeReportFile(
          deps,
          page.owner,
          { name: 'latest-messages', format, columns: MESSAGE_COLUMNS },
          (async function* () {
            for (const message of page.items) yield messageCells(message);
          })(),
        ),
      );
    },
    'GET /v1/reports/campaigns/{id}': async (event) => {
      const { format, subuser } = parseQuery(event, ReportQuery);
      const report = await campaignReport(deps, event.caller, {
        campaign: event.pathParameters?.id ?? '',
        ...(subuser ? { subuser } : {}),
      });
      if (format === 'json') return json(200, campaignReportView(report));
      const name = `${report.batch.name}-report`;
      return fileAnswer(
        await writeReportFile(
          deps,
          report.batch.accountId,
          { name, format, columns: CAMPAIGN_COLUMNS },
          campaignCells(report),
        ),
      );
    },
    'GET /v1/reports/destinations': async (event) => {
      const { format, ...query } = parseQuery(event, ReportPeriodQuery);
      const report = await destinationReport(deps, event.caller, defined(query));
      if (format === 'json') return json(200, destinationReportView(report));
      return fileAnswer(
        await writeReportFile(
          deps,
          report.owner,
          {
            name: `destinations-${report.period.from.slice(0, 10)}-${report.period.to.slice(0, 10)}`,
            format,
            columns: TOTALS_COLUMNS,
          },
          destinationCells(report),
        ),
      );
    },
  },
);
