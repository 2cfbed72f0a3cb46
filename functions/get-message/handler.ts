import { makeFileStore } from '#adapters/batch-adapters';
import { makeTableAdapters } from '#adapters/table-adapters';
import { customerQueryRoute } from '#http/api-handler';
import { json } from '#http/json';
import { messageView } from '#http/presenters';
import { getMessage } from '#use-cases/get-message';

const table = makeTableAdapters();
/** A batch message not yet submitted is read from its batch's ready chunk (S3). */
const deps = { ...table, planned: { batches: table.batches, files: makeFileStore() } };

/** GET /v1/messages/{id}[?subuser=<id>]: one message with its status history. */
export const handler = customerQueryRoute({ authenticate: table.authenticate }, async (event) => {
  const subuser = event.queryStringParameters?.subuser;
  const message = await getMessage(deps, {
    accountId: event.caller.accountId,
    messageId: event.pathParameters?.id ?? '',
    ...(subuser ? { subuserId: subuser } : {}),
  });
  return json(200, messageView(message));
});
