import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { logger } from '#observability/logger';
import { enforceRateLimit } from '#use-cases/rate-limit';
import { authenticateCredentials } from '#use-cases/sendsms/authenticate-credentials';
import {
  contactAdd,
  contactDelete,
  contactsGetList,
  contactUpdate,
  groupAdd,
  groupDelete,
  groupsGetList,
} from './address-book-actions';
import { batchCheckStatus, batchCreate, batchesList, batchStart, batchStop } from './batch-actions';
import { blocklistAdd, blocklistCheck, blocklistDel } from './blocklist-actions';
import { type Action, type ActionContext, required, type SendsmsDeps } from './context';
import { messagesGet } from './inbound-actions';
import { hlrPerform, hlrPerformSynchronous, mnpPerform } from './lookup-actions';
import { messageSend, messageStatus } from './message-actions';
import { readSendsmsRequest, UnreadableRequest } from './request';
import { answer, errorAnswer, InvalidParameter, SENDSMS_STATUS, type SendsmsAnswer } from './response';
import { messagesStatistics } from './statistics-actions';
import {
  getUserPricingList,
  routeCheckPrice,
  userGetBalance,
  userGetInfo,
  userGetPhoneNumber,
  userTransferFunds,
} from './user-actions';

/** The actions that need a signed-in caller, by their upstream names. */
const ACTIONS: Readonly<Record<string, Action>> = {
  message_send: messageSend({ gdpr: false }),
  message_send_gdpr: messageSend({ gdpr: true }),
  message_status: messageStatus,
  user_get_balance: userGetBalance,
  user_get_info: userGetInfo,
  user_get_phone_number: userGetPhoneNumber,
  user_transfer_funds: userTransferFunds,
  get_user_pricing_list: getUserPricingList,
  route_check_price: routeCheckPrice,
  batch_create: batchCreate,
  batch_start: batchStart,
  batch_stop: batchStop,
  batch_check_status: batchCheckStatus,
  batches_list: batchesList,
  blocklist_add: blocklistAdd,
  blocklist_del: blocklistDel,
  blocklist_check: blocklistCheck,
  messages_get: messagesGet,
  messages_statistics: messagesStatistics,
  hlr_perform: hlrPerform,
  hlr_perform_synchronous: hlrPerformSynchronous,
  mnp_perform: mnpPerform,
  address_book_groups_get_list: groupsGetList,
  address_book_group_add: groupAdd,
  address_book_group_delete: groupDelete,
  address_book_contacts_get_list: contactsGetList,
  address_book_contact_add: contactAdd,
  address_book_contact_update: contactUpdate,
  address_book_contact_delete: contactDelete,
  execute_multiple: (context) => executeMultiple(context),
};

/** Most actions one `execute_multiple` may carry (each is a full request's work). */
const MAX_MULTIPLE = 100;

/**
 * One `/json` request, always answered `{ status, message, details }`:
 * 1. Read the parameters (query string, urlencoded or multipart body); -1 without an action, -2 for an
 *    unknown one; `ping` answers without credentials, as upstream.
 * 2. Sign in with `username` + password or API key (-8), then count the request against the account's
 *    per-second allowance (-4096).
 * 3. Run the action over the platform's use cases; their errors become the upstream's codes.
 */
export async function handleSendsms(
  deps: SendsmsDeps,
  event: Pick<APIGatewayProxyEventV2, 'rawQueryString' | 'body' | 'isBase64Encoded' | 'headers'>,
): Promise<SendsmsAnswer> {
  let actionName: string | undefined;
  try {
    const request = await readSendsmsRequest(event);
    actionName = request.params.action?.trim();
    if (!actionName) return answer(SENDSMS_STATUS.noAction, 'No action specified');
    if (actionName === 'ping') return answer(SENDSMS_STATUS.ok, 'OK', 'pong');
    const action = Object.hasOwn(ACTIONS, actionName) ? ACTIONS[actionName] : undefined;
    if (!action) return answer(SENDSMS_STATUS.noSuchAction, 'No such action');
    const caller = await authenticateCredentials(deps, {
      username: required(request.params, 'username').trim(),
      password: required(request.params, 'password'),
    });
    await enforceRateLimit(deps.rateLimiter, caller.account);
    return await action({ deps, caller, ...request, baseUrl: baseUrlOf(event) });
  } catch (error) {
    return failure(error, actionName);
  }
}

function failure(error: unknown, action: string | undefined): SendsmsAnswer {
  if (error instanceof UnreadableRequest) return answer(SENDSMS_STATUS.missingParameter, error.message);
  const known = errorAnswer(error);
  if (known) return known;
  // Only the action name and the error: the request (credentials in its query) is never logged.
  logger.error('sendSMS action failed', { action, error: error as Error });
  return answer(SENDSMS_STATUS.internalError, 'Internal error');
}

/**
 * `execute_multiple`: POST `data` = JSON `[{ command, params }]` (the upstream PHP client's queued
 * actions); each runs as its own action for the same caller, and `details` lists their answers in order.
 */
async function executeMultiple(context: ActionContext): Promise<SendsmsAnswer> {
  let queued: unknown;
  try {
    queued = JSON.parse(required(context.params, 'data'));
  } catch (error) {
    if (error instanceof SyntaxError)
      throw new InvalidParameter('data must be a JSON list of { command, params }');
    throw error;
  }
  if (!Array.isArray(queued) || queued.length > MAX_MULTIPLE) {
    throw new InvalidParameter(`data must be a JSON list of at most ${MAX_MULTIPLE} { command, params }`);
  }
  const results: SendsmsAnswer[] = [];
  for (const item of queued) {
    const { command, params } = (item ?? {}) as { command?: unknown; params?: unknown };
    const name = typeof command === 'string' ? command : '';
    const action = name !== 'execute_multiple' && Object.hasOwn(ACTIONS, name) ? ACTIONS[name] : undefined;
    if (name === 'ping') results.push(answer(SENDSMS_STATUS.ok, 'OK', 'pong'));
    else if (!action) results.push(answer(SENDSMS_STATUS.noSuchAction, 'No such action'));
    else {
      try {
        results.push(await action({ ...context, params: stringParams(params), files: {} }));
      } catch (error) {
        results.push(failure(error, name));
      }
    }
  }
  return answer(SENDSMS_STATUS.ok, 'OK', results);
}

/** JSON params as the form fields they stand for: booleans as `true`/`false`, nulls left out. */
function stringParams(params: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (params === null || typeof params !== 'object') return out;
  for (const [name, value] of Object.entries(params)) {
    if (value === null || value === undefined) continue;
    out[name] = typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
  return out;
}

/** Where the API is served, from the request (API Gateway sets Host and X-Forwarded-Proto). */
function baseUrlOf(event: Pick<APIGatewayProxyEventV2, 'headers'>): string {
  const override = process.env.PUBLIC_BASE_URL;
  if (override) return override.replace(/\/+$/, '');
  const proto = event.headers?.['x-forwarded-proto'] ?? 'https';
  return `${proto}://${event.headers?.host ?? 'localhost'}`;
}
