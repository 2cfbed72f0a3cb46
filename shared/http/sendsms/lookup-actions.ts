import { resolveDestination } from '#use-cases/compose-message';
import { type Action, required } from './context';
import { answer, SENDSMS_STATUS } from './response';

/**
 * `hlr_perform(number)` / `hlr_perform_synchronous(number)` / `mnp_perform(number)`: the carrier's
 * number lookup, answered at once (upstream's asynchronous `hlr_perform` also calls `report_url`; here the
 * answer itself carries the result). A carrier without lookups (End User Messaging) answers -32.
 */
function lookupAction(kind: 'hlr' | 'mnp'): Action {
  return async ({ deps, caller, params }) => {
    const number = resolveDestination(required(params, 'number').trim(), caller.account);
    const lookup = deps.lookup ? await deps.lookup(number) : undefined;
    if (!lookup) {
      return answer(SENDSMS_STATUS.routingError, 'Number lookups are not offered by the carrier', null);
    }
    const common = {
      number: number.replace(/^\+/, ''),
      network: lookup.network ?? null,
      ported: lookup.ported,
    };
    return answer(
      SENDSMS_STATUS.ok,
      'OK',
      kind === 'hlr'
        ? { ...common, status: lookup.status, reachable: lookup.status === 'active' }
        : { ...common, original_network: lookup.originalNetwork ?? lookup.network ?? null },
    );
  };
}

export const hlrPerform = lookupAction('hlr');
export const mnpPerform = lookupAction('mnp');
