import { beforeEach, describe, expect, it } from 'vitest';
import { InvalidNumber, NotFound } from '#domain/errors';
import { blockNumberGlobally, listGlobalBlocklist, unblockNumberGlobally } from '#use-cases/global-blocklist';
import { fixedClock } from '../../support/in-memory';
import { InMemoryGlobalBlocklist } from '../../support/in-memory-platform';

describe('global blocklist use cases', () => {
  let globalBlocklist: InMemoryGlobalBlocklist;
  const deps = () => ({ globalBlocklist, clock: fixedClock() });

  beforeEach(() => {
    globalBlocklist = new InMemoryGlobalBlocklist();
  });

  it('stores numbers in E.164 whatever the input format, landlines and other countries included', async () => {
    // Act
    const mobile = await blockNumberGlobally(deps(), {
      number: '0722 123 456',
      reason: 'complaint',
      by: 'op',
    });
    const landline = await blockNumberGlobally(deps(), { number: '+40212345678', by: 'op' });
    const german = await blockNumberGlobally(deps(), { number: '+49 151 12345678', by: 'op' });

    // Assert
    expect(mobile).toMatchObject({ created: true, entry: { number: '+40722123456', reason: 'complaint' } });
    expect(landline.entry.number).toBe('+40212345678');
    expect(german.entry.number).toBe('+4915112345678');
    expect((await listGlobalBlocklist(deps(), { limit: 10 })).items).toHaveLength(3);
  });

  it('blocking again updates the entry and says it was not created', async () => {
    await blockNumberGlobally(deps(), { number: '+40722123456', reason: 'first', by: 'op' });
    const again = await blockNumberGlobally(deps(), { number: '0722123456', reason: 'second', by: 'op' });
    expect(again).toMatchObject({ created: false, entry: { reason: 'second' } });
  });

  it('refuses something that is not a phone number', async () => {
    await expect(blockNumberGlobally(deps(), { number: 'abc', by: 'op' })).rejects.toBeInstanceOf(
      InvalidNumber,
    );
  });

  it('unblocks by any spelling of the number; 404 when it is not on the list', async () => {
    await blockNumberGlobally(deps(), { number: '+40722123456', by: 'op' });
    await unblockNumberGlobally(deps(), { number: '0722123456' });
    expect(globalBlocklist.entries.size).toBe(0);
    await expect(unblockNumberGlobally(deps(), { number: '0722123456' })).rejects.toBeInstanceOf(NotFound);
  });
});
