import type { Batch } from '#domain/batch/batch';
import { NotFound } from '#domain/errors';
import { makePriceIndex, type PriceIndex } from '#domain/pricing/price-list';
import { makeReportTally, type ReportTotals, type SettledTotals, successRate } from '#domain/report/report';
import type { PriceListRepository } from '#ports/price-lists';
import { chunkMessages, sentChunks } from './batch-messages';
import { reportOwner } from './report-owner';
import {
  batchesStartedIn,
  type Period,
  type ReportCaller,
  type ReportDeps,
  reportPeriod,
} from './search-messages';

export interface TotalsReportDeps extends ReportDeps {
  readonly prices: Pick<PriceListRepository, 'forAccount'>;
}

type Tally = ReturnType<typeof makeReportTally>;

/** Where a number goes, by the account's price list: its entry's country and network (`ZZ` unknown). */
function destinationOf(prices: PriceIndex, e164: string): { country: string; network?: string } {
  const entry = prices.lookup(e164);
  return { country: entry?.country ?? 'ZZ', ...(entry?.network ? { network: entry.network } : {}) };
}

async function priceIndex(deps: TotalsReportDeps, owner: string): Promise<PriceIndex> {
  const account = await deps.accounts.get(owner);
  return makePriceIndex(await deps.prices.forAccount(account ?? {}));
}

/**
 * Adds a batch to a tally: its settled `finalTotals` when it has them (written once at settlement: no
 * message is read), else — still sending — its messages read by their deterministic ids.
 */
async function addBatch(
  deps: TotalsReportDeps,
  tally: Tally,
  batch: Batch,
  prices: () => Promise<PriceIndex>,
) {
  const settled = (batch as Batch & { finalTotals?: SettledTotals }).finalTotals;
  if (settled) {
    tally.addSettled(settled);
    return;
  }
  const index = await prices();
  for (const chunk of await sentChunks(deps, batch)) {
    for (const message of await chunkMessages(deps, batch, chunk)) {
      tally.add(message, destinationOf(index, message.to));
    }
  }
}

export interface CampaignReport {
  readonly batch: Batch;
  readonly totals: ReportTotals;
  readonly successRate: number | null;
  /** `settled`: from the batch's final totals; `live`: counted from its messages now. */
  readonly source: 'settled' | 'live';
}

/**
 * One campaign (batch): counts by status, parts, cost and success rate.
 * 1. The batch must be the caller's (or its subuser's, with `subuser`): 404 otherwise.
 * 2. A settled batch answers from its `finalTotals`; one still sending from its messages.
 */
export async function campaignReport(
  deps: TotalsReportDeps,
  caller: ReportCaller,
  query: { campaign: string; subuser?: string },
): Promise<CampaignReport> {
  const owner = await reportOwner(deps.accounts, caller, query.subuser);
  const batch = await deps.batches.get(owner, query.campaign);
  if (!batch) throw new NotFound('Campaign not found');
  const tally = makeReportTally();
  await addBatch(deps, tally, batch, () => priceIndex(deps, owner));
  const totals = tally.totals();
  const settled = (batch as Batch & { finalTotals?: unknown }).finalTotals !== undefined;
  return { batch, totals, successRate: successRate(totals.byStatus), source: settled ? 'settled' : 'live' };
}

export interface DestinationReport {
  readonly owner: string;
  readonly period: Period;
  readonly totals: ReportTotals;
  readonly campaigns: number;
}

/**
 * A period's messages grouped by destination country and network, with the total cost.
 * 1. Single messages created in the period: gsi1 Query over the period (never a Scan).
 * 2. Batches started in the period: their final totals (or, while sending, their messages).
 * The two add up to exactly what a message search over the same period lists.
 */
export async function destinationReport(
  deps: TotalsReportDeps,
  caller: ReportCaller,
  query: { from?: Date; to?: Date; subuser?: string },
): Promise<DestinationReport> {
  const owner = await reportOwner(deps.accounts, caller, query.subuser);
  const period = reportPeriod(deps.clock, query);
  let index: Promise<PriceIndex> | undefined;
  const prices = () => {
    index ??= priceIndex(deps, owner);
    return index;
  };
  const tally = makeReportTally();
  let before = `${period.to}\uffff`;
  for (;;) {
    const page = await deps.sources.singles(owner, { from: period.from, before, limit: 1000, filter: {} });
    const resolved = await prices();
    for (const message of page.items) tally.add(message, destinationOf(resolved, message.to));
    const last = page.items.at(-1);
    if (!page.more || !last) break;
    before = `${last.createdAt}#${last.id}`;
  }
  const batches = await batchesStartedIn(deps, owner, period);
  for (const batch of batches) await addBatch(deps, tally, batch, prices);
  return { owner, period, totals: tally.totals(), campaigns: batches.length };
}
