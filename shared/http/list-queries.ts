import { z } from 'zod';
import { SENDER_ID_REQUEST_STATUSES } from '#domain/sender/sender-id-request';
import { ContactQuery, GroupPageQuery, ImportRowsQuery } from './contact-requests';
import { CustomerPageQuery, PageQuery, pageLimit } from './route-helpers';

/** The query strings of the paged listings (those with `limit` and `cursor`), beside PageQuery's. */

const IsoTime = z.iso.datetime({ offset: true }).transform((t) => new Date(t).toISOString());

/** `GET /v1/inbound`. */
export const InboundQuery = PageQuery.extend({
  from: IsoTime.optional(),
  to: IsoTime.optional(),
  number: z.string().trim().min(1).max(32).optional(),
});

/** `GET /v1/admin/sender-id-requests`. */
export const SenderIdRequestsQuery = PageQuery.extend({
  status: z.enum(SENDER_ID_REQUEST_STATUSES as ['pending', 'approved', 'rejected']).default('pending'),
});

/** `GET /v1/templates`. */
export const TemplatesQuery = PageQuery.extend({
  limit: pageLimit(100, 50),
  owner: z.enum(['self', 'parent']).default('self'),
});

const Instant = z.iso.datetime({ offset: true }).transform((s) => new Date(s));

/** Every `/v1/reports/*` route. */
export const ReportQuery = z.object({
  subuser: z.string().min(1).max(64).optional(),
  format: z.enum(['json', 'csv', 'xlsx']).default('json'),
});

/** The reports over a period. */
export const ReportPeriodQuery = ReportQuery.extend({ from: Instant.optional(), to: Instant.optional() });

/** `GET /v1/reports/messages`. */
export const ReportSearchQuery = ReportPeriodQuery.extend({
  status: z
    .enum([
      'accepted',
      'scheduled',
      'queued',
      'submitted',
      'delivered',
      'undelivered',
      'expired',
      'rejected',
      'failed',
      'cancelled',
    ])
    .optional(),
  number: z.string().min(3).max(32).optional(),
  sender: z.string().min(1).max(15).optional(),
  campaign: z.string().min(1).max(64).optional(),
  ...PageQuery.shape,
});

/**
 * Every paged listing's query schema, by route key: the one its handler parses with. A unit test holds it
 * equal to the routes whose OpenAPI operation takes `cursor`, and checks each treats `cursor=`/`limit=`
 * as absent and refuses a malformed cursor.
 */
export const LIST_QUERIES: Readonly<Record<string, z.ZodType>> = {
  'GET /v1/account/ledger': CustomerPageQuery,
  'GET /v1/admin/sender-id-requests': SenderIdRequestsQuery,
  'GET /v1/admin/blocklist': PageQuery,
  'GET /v1/batches': CustomerPageQuery,
  'GET /v1/batches/{id}/rows': CustomerPageQuery,
  'GET /v1/templates': TemplatesQuery,
  'GET /v1/blocklist': PageQuery,
  'GET /v1/reports/messages': ReportSearchQuery,
  'GET /v1/inbound': InboundQuery,
  'GET /v1/admin/numbers': PageQuery,
  'GET /v1/contact-groups': GroupPageQuery,
  'GET /v1/contact-groups/{id}/import-rows': ImportRowsQuery,
  'GET /v1/contact-groups/{id}/contacts': ContactQuery,
  'GET /v1/links': PageQuery,
  'GET /v1/recurring-campaigns': CustomerPageQuery,
  'GET /v1/admin/inbound/unmatched': PageQuery,
};
