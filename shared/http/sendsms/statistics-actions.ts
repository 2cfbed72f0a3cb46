import { zonedWallTimeToUtc } from '#domain/time/zoned-time';
import { destinationReport } from '#use-cases/reports/totals-reports';
import { type Action, amount, optional } from './context';
import { answer, InvalidParameter, SENDSMS_STATUS } from './response';

/**
 * A `start_date` / `end_date` ("YYYY-mm-dd" or "YYYY-mm-dd HH:ii:ss", the account's time zone) as UTC;
 * a bare end date includes that whole day.
 */
function bound(value: string | undefined, timeZone: string, end: boolean): Date | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  const dateOnly = /^\d{4}-\d{2}-\d{2}$/.test(trimmed);
  const instant = zonedWallTimeToUtc(dateOnly ? `${trimmed} 00:00:00` : trimmed, timeZone);
  if (!instant)
    throw new InvalidParameter('start_date and end_date are "YYYY-mm-dd" or "YYYY-mm-dd HH:ii:ss"');
  if (dateOnly && end) {
    // The next day's midnight in the zone (not +24 h: a DST day is 23 or 25 hours long).
    const next = new Date(Date.parse(`${trimmed}T00:00:00Z`) + 24 * 3600 * 1000).toISOString().slice(0, 10);
    return zonedWallTimeToUtc(`${next} 00:00:00`, timeZone);
  }
  return instant;
}

/**
 * `messages_statistics(user_id?, start_date?, end_date?)`: the period's messages (single sends and
 * campaigns, default the last 30 days) by status, with parts and cost, from the platform's destination
 * report; `user_id` is one of the caller's subusers.
 */
export const messagesStatistics: Action = async ({ deps, caller, params }) => {
  const timeZone = caller.account.timezone;
  const from = bound(optional(params, 'start_date'), timeZone, false);
  const to = bound(optional(params, 'end_date'), timeZone, true);
  const subuser = optional(params, 'user_id')?.trim();
  const report = await destinationReport(deps, caller, {
    ...(from ? { from } : {}),
    ...(to ? { to } : {}),
    ...(subuser ? { subuser } : {}),
  });
  const { totals } = report;
  return answer(SENDSMS_STATUS.ok, 'OK', {
    start_date: report.period.from,
    end_date: report.period.to,
    messages: Object.values(totals.byStatus).reduce((sum, n) => sum + (n ?? 0), 0),
    billed_messages: totals.messages,
    parts: totals.parts,
    cost: amount(totals.cost),
    by_status: totals.byStatus,
    destinations: totals.byDestination.map((line) => ({
      country: line.country,
      network: line.network ?? null,
      messages: line.messages,
      parts: line.parts,
      cost: amount(line.cost),
    })),
  });
};
