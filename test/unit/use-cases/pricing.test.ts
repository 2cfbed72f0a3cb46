import { beforeEach, describe, expect, it } from 'vitest';
import { Conflict, InvalidNumber, NotFound, NotRoutable, ValidationFailed } from '#domain/errors';
import type { StoredPriceList } from '#ports/price-list-store';
import { assignPriceList, checkPrice, getPriceList, listPriceLists, savePriceList } from '#use-cases/pricing';
import { fixedClock } from '../../support/in-memory';
import { InMemoryAccounts, InMemoryPriceLists, platformAccount } from '../../support/in-memory-platform';

const vip: StoredPriceList = {
  id: 'vip',
  currency: 'EUR',
  entries: [
    { prefix: '40', pricePerPart: 300, country: 'RO' },
    { prefix: '40722', pricePerPart: 250, country: 'RO', network: 'Vodafone' },
  ],
  updatedAt: '2026-01-01T00:00:00.000Z',
};

describe('pricing use cases', () => {
  let accounts: InMemoryAccounts;
  let priceLists: InMemoryPriceLists;
  const deps = () => ({ accounts, priceLists, clock: fixedClock() });

  beforeEach(() => {
    accounts = new InMemoryAccounts(platformAccount(), platformAccount({ id: 'usd', currency: 'USD' }));
    priceLists = new InMemoryPriceLists();
  });

  describe('checkPrice', () => {
    it('prices one part with the built-in default list for an account without its own', async () => {
      // Act
      const price = await checkPrice(deps(), { accountId: 'acc1', to: '0722 123 456' });

      // Assert
      expect(price).toEqual({
        to: '+40722123456',
        country: 'RO',
        prefix: '40',
        pricePerPart: 450,
        currency: 'EUR',
      });
    });

    it("uses the account's own list, with the longest (network) prefix", async () => {
      // Arrange
      await priceLists.put(vip);
      await accounts.update('acc1', { priceListId: 'vip' });

      // Act
      const price = await checkPrice(deps(), { accountId: 'acc1', to: '+40722123456' });

      // Assert
      expect(price).toMatchObject({ pricePerPart: 250, network: 'Vodafone', prefix: '40722' });
    });

    it('refuses a destination the list has no price for as NOT_ROUTABLE', async () => {
      await priceLists.put(vip);
      await accounts.update('acc1', { priceListId: 'vip' });
      await expect(checkPrice(deps(), { accountId: 'acc1', to: '+4915112345678' })).rejects.toBeInstanceOf(
        NotRoutable,
      );
    });

    it('refuses an invalid or non-mobile number with the reason', async () => {
      await expect(checkPrice(deps(), { accountId: 'acc1', to: '12345' })).rejects.toMatchObject({
        code: 'INVALID_NUMBER',
        details: { reason: 'INVALID' },
      });
      await expect(checkPrice(deps(), { accountId: 'acc1', to: '0212345678' })).rejects.toBeInstanceOf(
        InvalidNumber,
      );
    });
  });

  describe('savePriceList', () => {
    it('parses decimal prices into integer units and says whether the list is new', async () => {
      // Act
      const first = await savePriceList(deps(), {
        id: 'vip',
        currency: 'EUR',
        entries: [{ prefix: '40', price: '0.0300', country: 'RO' }],
        by: 'op',
      });
      const second = await savePriceList(deps(), {
        id: 'vip',
        currency: 'EUR',
        entries: [{ prefix: '40', price: '0.03' }],
        by: 'op',
      });

      // Assert
      expect(first.created).toBe(true);
      expect(second.created).toBe(false);
      expect(priceLists.lists.get('vip')).toMatchObject({
        entries: [{ prefix: '40', pricePerPart: 300 }],
        updatedAt: '2026-11-24T10:00:00.000Z',
        updatedBy: 'op',
      });
    });

    it.each([
      ['a float-looking price', [{ prefix: '40', price: '0.00001' }]],
      ['a negative price', [{ prefix: '40', price: '-0.01' }]],
      ['a bad prefix', [{ prefix: '+40', price: '0.01' }]],
      [
        'a prefix twice',
        [
          { prefix: '40', price: '0.01' },
          { prefix: '40', price: '0.02' },
        ],
      ],
    ])('refuses %s with 400 and stores nothing', async (_, entries) => {
      await expect(
        savePriceList(deps(), { id: 'bad', currency: 'EUR', entries, by: 'op' }),
      ).rejects.toBeInstanceOf(ValidationFailed);
      expect(priceLists.lists.has('bad')).toBe(false);
    });

    it('refuses a malformed id or currency', async () => {
      const entries = [{ prefix: '40', price: '0.01' }];
      await expect(
        savePriceList(deps(), { id: 'a/b', currency: 'EUR', entries, by: 'op' }),
      ).rejects.toBeInstanceOf(ValidationFailed);
      await expect(
        savePriceList(deps(), { id: 'ok', currency: 'eur', entries, by: 'op' }),
      ).rejects.toBeInstanceOf(ValidationFailed);
    });
  });

  describe('reading lists', () => {
    it('shows the built-in default until one is stored, then the stored one', async () => {
      expect(await getPriceList(deps(), 'default')).toMatchObject({ id: 'default', builtIn: true });
      expect((await listPriceLists(deps())).map((l) => l.id)).toEqual(['default']);

      await priceLists.put({ ...vip, id: 'default' });
      await priceLists.put(vip);

      expect(await getPriceList(deps(), 'default')).not.toHaveProperty('builtIn');
      expect((await listPriceLists(deps())).map((l) => l.id)).toEqual(['default', 'vip']);
    });

    it('answers 404 for an unknown list', async () => {
      await expect(getPriceList(deps(), 'nope')).rejects.toBeInstanceOf(NotFound);
    });
  });

  describe('assignPriceList', () => {
    it('records the list on the account', async () => {
      await priceLists.put(vip);
      const account = await assignPriceList(deps(), { accountId: 'acc1', priceListId: 'vip' });
      expect(account.priceListId).toBe('vip');
    });

    it('answers 404 for an unknown account or list, 409 for another currency', async () => {
      await priceLists.put(vip);
      await expect(assignPriceList(deps(), { accountId: 'nope', priceListId: 'vip' })).rejects.toBeInstanceOf(
        NotFound,
      );
      await expect(
        assignPriceList(deps(), { accountId: 'acc1', priceListId: 'nope' }),
      ).rejects.toBeInstanceOf(NotFound);
      await expect(assignPriceList(deps(), { accountId: 'usd', priceListId: 'vip' })).rejects.toBeInstanceOf(
        Conflict,
      );
      expect(accounts.byId.get('usd')?.priceListId).toBeUndefined();
    });
  });
});
