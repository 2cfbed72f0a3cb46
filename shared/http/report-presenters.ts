import type { Message } from '#domain/message/message';
import { formatMoney } from '#domain/money';
import { type ReportTotals, reportedCost } from '#domain/report/report';
import type { CampaignReport, DestinationReport } from '#use-cases/reports/totals-reports';

/** A message in a report: what was sent, its status, and what it costs (0 once refunded). */
export function reportMessageView(message: Message) {
  return {
    id: message.id,
    createdAt: message.createdAt,
    to: message.to,
    from: message.from,
    text: message.text,
    encoding: message.encoding,
    parts: message.parts,
    status: message.status,
    statusAt: message.events.findLast((e) => e.status === message.status)?.at ?? message.createdAt,
    cost: formatMoney(reportedCost(message)),
    currency: message.currency,
    ...(message.batchId === undefined ? {} : { campaign: message.batchId }),
    ...(message.reason === undefined ? {} : { reason: message.reason }),
    ...(message.clientReference === undefined ? {} : { clientReference: message.clientReference }),
  };
}

export function totalsView(totals: ReportTotals) {
  return {
    byStatus: totals.byStatus,
    messages: totals.messages,
    parts: totals.parts,
    cost: formatMoney(totals.cost),
    byDestination: totals.byDestination.map((line) => ({
      country: line.country,
      ...(line.network ? { network: line.network } : {}),
      messages: line.messages,
      parts: line.parts,
      cost: formatMoney(line.cost),
    })),
  };
}

export function campaignReportView(report: CampaignReport) {
  const { batch } = report;
  return {
    campaign: {
      id: batch.id,
      name: batch.name,
      status: batch.status,
      createdAt: batch.createdAt,
      ...(batch.startedAt ? { startedAt: batch.startedAt } : {}),
      ...(batch.finishedAt ? { finishedAt: batch.finishedAt } : {}),
    },
    source: report.source,
    ...totalsView(report.totals),
    successRate: report.successRate,
  };
}

export function destinationReportView(report: DestinationReport) {
  const { byDestination, ...totals } = totalsView(report.totals);
  return {
    period: report.period,
    campaigns: report.campaigns,
    rows: byDestination,
    total: { messages: totals.messages, parts: totals.parts, cost: totals.cost },
    byStatus: totals.byStatus,
  };
}
