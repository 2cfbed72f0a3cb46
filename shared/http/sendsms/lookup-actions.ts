import { isCallbackUrl } from '#domain/callbacks/callback';
import { reportQueryJob } from '#domain/callbacks/report-url';
import type { NumberLookup } from '#ports/carrier-gateway';
import { resolveDestination } from '#use-cases/compose-message';
import { type Action, type ActionContext, optional, required } from './context';
import { answer, InvalidParameter, SENDSMS_STATUS, type SendsmsAnswer } from './response';

/**
 * `hlr_perform_synchronous(number)` / `mnp_perform(number)` (and `hlr_perform` without `report_url`):
 * the carrier's number lookup, answered at once. A carrier without lookups (End User Messaging) answers -32.
 */
function lookupAction(kind: 'hlr' | 'mnp'): Action {
  return async (context) => {
    const looked = await lookUp(context);
    if (!looked.lookup) return looked.refused;
    const { number, lookup } = looked;
    return answer(
      SENDSMS_STATUS.ok,
      'OK',
      kind === 'hlr'
        ? hlrDetails(number, lookup)
        : {
            number: number.replace(/^\+/, ''),
            network: lookup.network ?? null,
            ported: lookup.ported,
            original_network: lookup.originalNetwork ?? lookup.network ?? null,
          },
    );
  };
}

async function lookUp(
  context: ActionContext,
): Promise<{ number: string; lookup: NumberLookup } | { lookup?: undefined; refused: SendsmsAnswer }> {
  const { deps, caller, params } = context;
  const number = resolveDestination(required(params, 'number').trim(), caller.account);
  const lookup = deps.lookup ? await deps.lookup(number) : undefined;
  if (!lookup) {
    return { refused: answer(SENDSMS_STATUS.routingError, 'Number lookups are not offered by the carrier') };
  }
  return { number, lookup };
}

function hlrDetails(number: string, lookup: NumberLookup) {
  return {
    number: number.replace(/^\+/, ''),
    network: lookup.network ?? null,
    ported: lookup.ported,
    status: lookup.status,
    reachable: lookup.status === 'active',
  };
}

const synchronous = lookupAction('hlr');

/**
 * `hlr_perform(number, report_url)`: upstream answers "queued" and delivers the result to `report_url`
 * by an HTTP callback. The lookup is quick, so it is done here; only its delivery is asynchronous, as a
 * GET job on the callbacks queue (retried with backoff, dead-lettered after 10 attempts, never signed:
 * the same scheme as `message_send`'s `report_url`). The result rides as query parameters
 * (`id, number, status, reachable, network, ported`; booleans 1/0, as PHP receivers read `$_GET`), and
 * `details` is that `id`. Without `report_url` the answer itself carries the result, as
 * `hlr_perform_synchronous` does.
 */
export const hlrPerform: Action = async (context) => {
  const url = optional(context.params, 'report_url')?.trim();
  if (url === undefined) return synchronous(context);
  if (!isCallbackUrl(url)) throw new InvalidParameter('report_url must be an absolute http(s) URL');
  const looked = await lookUp(context);
  if (!looked.lookup) return looked.refused;
  const details = hlrDetails(looked.number, looked.lookup);
  const id = context.deps.ids.newId();
  await context.deps.callbacks.enqueue([
    reportQueryJob({
      accountId: context.caller.accountId,
      url,
      query: {
        id,
        number: details.number,
        status: details.status,
        reachable: details.reachable ? '1' : '0',
        network: details.network ?? '',
        ported: details.ported ? '1' : '0',
      },
      eventId: `hlr.${id}`,
      type: 'hlr.result',
    }),
  ]);
  return answer(SENDSMS_STATUS.queued, 'Queued', id);
};

export const hlrPerformSynchronous = synchronous;
export const mnpPerform = lookupAction('mnp');
