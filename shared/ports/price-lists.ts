import type { Account } from '#domain/account/account';
import type { PriceList } from '#domain/pricing/price-list';

/** Price lists by id; the platform default is `default` (the built-in list until the operator saves one). */
export interface PriceListRepository {
  /** The list that prices this account's messages: its own override, else the default. */
  forAccount(account: Pick<Account, 'priceListId'>): Promise<PriceList>;
}

/** A repository that always answers with one list (tests, and before any list is stored). */
export function fixedPriceList(list: PriceList): PriceListRepository {
  return { forAccount: async () => list };
}
