import type { PriceList } from '#domain/pricing/price-list';
import type { PriceListRepository } from './price-lists';

/** A stored price list with when it was last saved (for the operator's listing). */
export interface StoredPriceList extends PriceList {
  readonly updatedAt: string;
  readonly updatedBy?: string;
}

/**
 * The operator's side of price lists: read, save and list them. Separate from `PriceListRepository`
 * (which the send path uses, cached) so a send never depends on write access, and the operator always
 * reads the stored list, never a cached copy.
 */
export interface PriceListStore extends PriceListRepository {
  /** The stored list, or undefined (the built-in default is not "stored" until the operator saves one). */
  get(id: string): Promise<StoredPriceList | undefined>;
  /** Creates or replaces the list. */
  put(list: StoredPriceList): Promise<void>;
  /** Every stored list (a handful: one per negotiated tariff), without entries' details beyond the list. */
  list(): Promise<readonly StoredPriceList[]>;
}
