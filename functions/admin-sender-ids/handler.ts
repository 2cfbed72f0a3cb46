import { z } from 'zod';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { adminSenderIdRequestView } from '#http/admin-presenters';
import { json } from '#http/json';
import { SenderIdRequestsQuery } from '#http/list-queries';
import { parseBody } from '#http/middleware';
import { operatorOf, operatorRoutes, parseQuery } from '#http/route-helpers';
import { systemClock } from '#ports/clock';
import { approveSenderIdRequest, listSenderIdRequests, rejectSenderIdRequest } from '#use-cases/sender-ids';

const RejectBody = z.object({ reason: z.string().trim().min(1).max(500) });

const table = makeTableAdapters();
const platform = makePlatformAdapters();
const deps = { accounts: table.accounts, senderRequests: platform.senderRequests, clock: systemClock };

/** Operator: the queue of sender id requests, and approving or rejecting one. */
export const handler = operatorRoutes({
  'GET /v1/admin/sender-id-requests': async (event) => {
    const query = parseQuery(event, SenderIdRequestsQuery);
    const page = await listSenderIdRequests(deps, query);
    return json(200, {
      items: page.items.map(adminSenderIdRequestView),
      ...(page.cursor === undefined ? {} : { cursor: page.cursor }),
    });
  },
  'POST /v1/admin/sender-id-requests/{id}/approve': async (event) => {
    const request = await approveSenderIdRequest(deps, {
      id: event.pathParameters?.id ?? '',
      by: operatorOf(event),
    });
    return json(200, adminSenderIdRequestView(request));
  },
  'POST /v1/admin/sender-id-requests/{id}/reject': async (event) => {
    const { reason } = parseBody(event, RejectBody);
    const request = await rejectSenderIdRequest(deps, {
      id: event.pathParameters?.id ?? '',
      reason,
      by: operatorOf(event),
    });
    return json(200, adminSenderIdRequestView(request));
  },
});
