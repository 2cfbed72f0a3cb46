import { z } from 'zod';
import { cryptoIds } from '#adapters/crypto/ids';
import { makePlatformAdapters, makeTableAdapters } from '#adapters/table-adapters';
import { senderIdRequestView } from '#http/admin-presenters';
import { customerRoutes } from '#http/api-handler';
import { json } from '#http/json';
import { parseBody } from '#http/middleware';
import { systemClock } from '#ports/clock';
import { listSenderIds, requestSenderId } from '#use-cases/sender-ids';

const SenderIdRequestBody = z.object({
  senderId: z.string().max(64).describe('Alphanumeric (≤ 11, one letter at least) or numeric (≤ 15 digits)'),
  note: z.string().trim().max(500).optional().describe('What it is for, for the operator'),
});

const table = makeTableAdapters();
const platform = makePlatformAdapters();
const deps = {
  accounts: table.accounts,
  senderRequests: platform.senderRequests,
  clock: systemClock,
  ids: cryptoIds,
};

/** `/v1/sender-ids`: the caller's senders and its requests for new ones. */
export const handler = customerRoutes(
  { authenticate: table.authenticate },
  {
    'POST /v1/sender-ids': async (event) => {
      const body = parseBody(event, SenderIdRequestBody);
      const request = await requestSenderId(deps, {
        accountId: event.caller.accountId,
        senderId: body.senderId,
        ...(body.note === undefined ? {} : { note: body.note }),
      });
      return json(201, senderIdRequestView(request));
    },
    'GET /v1/sender-ids': async (event) => {
      const { approved, requests } = await listSenderIds(deps, event.caller.accountId);
      return json(200, { approved, requests: requests.map(senderIdRequestView) });
    },
  },
);
