import { InvalidAmount, parseMoney } from '#domain/money';
import { getAccount } from '#use-cases/accounts';
import { checkPrice } from '#use-cases/pricing';
import { transferCredit } from '#use-cases/subusers';
import { type Action, amount, required } from './context';
import { answer, InvalidParameter, SENDSMS_STATUS } from './response';

/** `user_get_balance`: `details` is the balance, a number in the account's currency. */
export const userGetBalance: Action = async ({ deps, caller }) => {
  const account = await getAccount(deps, caller.accountId);
  return answer(SENDSMS_STATUS.ok, 'OK', amount(account.balance));
};

/** `user_get_info`: the account as the upstream's plugins show it. */
export const userGetInfo: Action = async ({ deps, caller }) => {
  const account = await getAccount(deps, caller.accountId);
  return answer(SENDSMS_STATUS.ok, 'OK', {
    id: account.id,
    username: account.username ?? null,
    name: account.name,
    balance: amount(account.balance),
    reserved: amount(account.reserved),
    currency: account.currency,
    country: account.country,
    timezone: account.timezone,
    email: account.notificationEmail ?? null,
    parent_id: account.parentId ?? null,
    senders: account.senderIds,
    status: account.status,
  });
};

/**
 * `user_get_phone_number`: the account's verified mobile (`PUT /v1/account/phone` + verify), as digits
 * like the facade's other numbers; an account without one answers 0 with a null `details`, saying so.
 */
export const userGetPhoneNumber: Action = async ({ deps, caller }) => {
  const account = await getAccount(deps, caller.accountId);
  return account.phone
    ? answer(SENDSMS_STATUS.ok, 'OK', account.phone.replace(/^\+/, ''))
    : answer(SENDSMS_STATUS.ok, 'No verified phone number', null);
};

/**
 * `user_transfer_funds(target_username, amount)`: credit to one of the caller's subusers (a negative
 * amount takes unspent credit back), through the same transfer as `POST /v1/subusers/{id}/credit-transfers`.
 */
export const userTransferFunds: Action = async ({ deps, caller, params }) => {
  const target = await deps.accounts.findByUsername(required(params, 'target_username').trim());
  let units: number;
  try {
    units = parseMoney(required(params, 'amount').trim());
  } catch (error) {
    if (error instanceof InvalidAmount)
      throw new InvalidParameter('amount must be a decimal with at most 4 decimals');
    throw error;
  }
  // Not a subuser of the caller (or unknown): the transfer's own check answers "not found".
  const result = await transferCredit({ ...deps }, caller, { subuserId: target?.id ?? '-', amount: units });
  return answer(SENDSMS_STATUS.ok, 'OK', {
    balance: amount(result.parentBalance),
    target_balance: amount(result.subuserBalance),
  });
};

/** `get_user_pricing_list`: price per part by destination prefix, from the account's price list. */
export const getUserPricingList: Action = async ({ deps, caller }) => {
  const list = await deps.prices.forAccount(caller.account);
  return answer(
    SENDSMS_STATUS.ok,
    'OK',
    list.entries.map((entry) => ({
      prefix: entry.prefix,
      country: entry.country ?? null,
      network: entry.network ?? null,
      cost: amount(entry.pricePerPart),
      currency: list.currency,
    })),
  );
};

/**
 * `route_check_price(to)`: `details: { cost, status: 64, reason }` for a routable number (the plugins
 * cache `cost` when `status` is 64); an unroutable one answers -32, an invalid one -128.
 */
export const routeCheckPrice: Action = async ({ deps, caller, params }) => {
  const price = await checkPrice(
    { accounts: deps.accounts, priceLists: deps.prices },
    { accountId: caller.accountId, to: required(params, 'to').trim() },
  );
  return answer(SENDSMS_STATUS.ok, 'OK', {
    cost: amount(price.pricePerPart),
    status: 64,
    reason: 'Routable',
    currency: price.currency,
    country: price.country ?? null,
    network: price.network ?? null,
    to: price.to.replace(/^\+/, ''),
  });
};
