import { makeTableAdapters } from '#adapters/table-adapters';
import { customerQueryRoute } from '#http/api-handler';
import { json } from '#http/json';
import { messageView } from '#http/presenters';
import { getMessage } from '#use-cases/get-message';

const table = makeTableAdapters();

export const handler = customerQueryRoute({ authenticate: table.authenticate }, async (event) => {
  const message = await getMessage(table, {
    accountId: event.caller.accountId,
    messageId: event.pathParameters?.id ?? '',
  });
  return json(200, messageView(message));
});
